using SecureUpdate.Tests.Infrastructure;
using Xunit.Sdk;

namespace SecureUpdate.Tests.InfrastructureTests;

/// <summary>The CLI result checks catch what they claim to catch.</summary>
public sealed class CliResultTests
{
    [Theory]
    [InlineData("Unhandled exception. System.InvalidOperationException: boom")]
    [InlineData("error: boom\n   at SecureUpdate.Cli.Program.Main(String[] args)")]
    public void ShouldHaveNoStackTrace_StackTraceOnStderr_Fails(string stderr)
    {
        var result = new CliResult(["apply"], 1, "", stderr, TimeSpan.Zero);

        var check = () => result.ShouldHaveNoStackTrace();

        check.Should().Throw<XunitException>();
    }

    [Fact]
    public void Json_TwoObjectsOnStdout_Fails()
    {
        var result = new CliResult(["apply"], 0, "{\"outcome\":\"current\"}\n{\"outcome\":\"current\"}", "", TimeSpan.Zero);

        var check = () => result.Json();

        check.Should().Throw<InvalidOperationException>();
    }

    [Fact]
    public void ShouldReportFailureClearly_OneLineWithoutTrace_Passes()
    {
        var result = new CliResult(["apply"], 3, "", "secure-update apply: the manifest signature is not trusted\n", TimeSpan.Zero);

        result.ShouldReportFailureClearly().StderrLines.Should().ContainSingle();
    }
}
