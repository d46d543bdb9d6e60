using Microsoft.Extensions.Options;
using SecureUpdate.Configuration;

namespace SecureUpdate.Hosting;

/// <summary>Source-generated validation of <see cref="SecureUpdateOptions"/>' ranges (no reflection, AOT-safe).</summary>
[OptionsValidator]
internal sealed partial class SecureUpdateOptionsValidator : IValidateOptions<SecureUpdateOptions>
{
}
