using System.IO.Abstractions;
using Microsoft.Extensions.Options;
using SecureUpdate.Errors;
using SecureUpdate.Trust;

namespace SecureUpdate.Agent;

/// <summary>
/// Loads <see cref="UpdateAgentOptions.TrustFile"/> when the options are validated, so that an
/// agent with a missing or bad trust file fails to start (a non-zero exit a supervisor sees)
/// instead of running without ever being able to update.
/// </summary>
internal sealed class UpdateAgentTrustValidator : IValidateOptions<UpdateAgentOptions>
{
    private readonly IFileSystem _fileSystem;

    public UpdateAgentTrustValidator(IFileSystem fileSystem) => _fileSystem = fileSystem;

    public ValidateOptionsResult Validate(string? name, UpdateAgentOptions options)
    {
        if (string.IsNullOrEmpty(options.TrustFile))
        {
            return ValidateOptionsResult.Skip; // The source-generated validator reports the missing value.
        }

        try
        {
            _ = TrustRoot.Load(_fileSystem, options.TrustFile);
            return ValidateOptionsResult.Success;
        }
        catch (SecureUpdateException ex)
        {
            return ValidateOptionsResult.Fail($"UpdateAgentOptions.TrustFile: {ex.Message}");
        }
    }
}
