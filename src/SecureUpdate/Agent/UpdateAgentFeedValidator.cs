using Microsoft.Extensions.Options;

namespace SecureUpdate.Agent;

/// <summary>
/// Checks that <see cref="UpdateAgentOptions"/> give exactly one of <see cref="UpdateAgentOptions.Feed"/>
/// and <see cref="UpdateAgentOptions.Feeds"/>, with no empty entry, so that an agent without a usable
/// feed fails to start instead of running without ever being able to update.
/// </summary>
internal sealed class UpdateAgentFeedValidator : IValidateOptions<UpdateAgentOptions>
{
    public ValidateOptionsResult Validate(string? name, UpdateAgentOptions options)
    {
        var hasOne = !string.IsNullOrEmpty(options.Feed);
        var hasList = options.Feeds.Count > 0;
        if (hasOne == hasList)
        {
            return ValidateOptionsResult.Fail(hasOne
                ? "UpdateAgentOptions: give Feed or Feeds (mirrors), not both."
                : "UpdateAgentOptions: the Feed field (or Feeds, a list of mirrors) is required.");
        }

        return options.Feeds.Any(string.IsNullOrWhiteSpace)
            ? ValidateOptionsResult.Fail("UpdateAgentOptions.Feeds: an entry is empty.")
            : ValidateOptionsResult.Success;
    }
}
