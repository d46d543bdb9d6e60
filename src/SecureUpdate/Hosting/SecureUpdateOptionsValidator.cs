using Microsoft.Extensions.Options;

namespace SecureUpdate.Hosting;

/// <summary>Source-generated validation of <see cref="SecureUpdateOptions"/>' ranges (no reflection, AOT-safe).</summary>
[OptionsValidator]
internal sealed partial class SecureUpdateOptionsValidator : IValidateOptions<SecureUpdateOptions>
{
}
