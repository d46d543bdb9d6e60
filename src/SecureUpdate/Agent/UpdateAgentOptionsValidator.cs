using Microsoft.Extensions.Options;

namespace SecureUpdate.Agent;

/// <summary>Source-generated validation of <see cref="UpdateAgentOptions"/>.</summary>
[OptionsValidator]
internal sealed partial class UpdateAgentOptionsValidator : IValidateOptions<UpdateAgentOptions>
{
}
