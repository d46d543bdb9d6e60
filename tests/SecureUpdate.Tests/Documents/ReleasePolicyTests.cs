using Microsoft.Extensions.Time.Testing;
using SecureUpdate.Documents;
using SecureUpdate.Errors;

namespace SecureUpdate.Tests.Documents;

public sealed class ReleasePolicyTests
{
    private static readonly DateTimeOffset s_start = new(2026, 11, 26, 5, 0, 0, TimeSpan.Zero);
    private static readonly DateTimeOffset s_pointerExpiry = s_start.AddDays(7);
    private static readonly DateTimeOffset s_manifestExpiry = s_start.AddDays(30);

    private readonly FakeTimeProvider _time = new(s_start);

    [Fact]
    public void CheckPointer_MatchingFreshPointerWithoutFloor_Passes()
    {
        Action check = () => ReleasePolicy.CheckPointer(Pointer("1.1.0"), "demo", "stable", _time.GetUtcNow(), floor: null);

        check.Should().NotThrow();
    }

    [Fact]
    public void CheckPointer_OtherApp_ThrowsWrongApp()
    {
        Action check = () => ReleasePolicy.CheckPointer(Pointer("1.1.0", app: "other"), "demo", "stable", _time.GetUtcNow(), floor: null);

        AssertRefused(check, ErrorCode.WrongApp, UpdateStage.Channel);
    }

    [Fact]
    public void CheckPointer_AppDifferingOnlyInCase_ThrowsWrongApp()
    {
        Action check = () => ReleasePolicy.CheckPointer(Pointer("1.1.0", app: "Demo"), "demo", "stable", _time.GetUtcNow(), floor: null);

        AssertRefused(check, ErrorCode.WrongApp, UpdateStage.Channel);
    }

    [Fact]
    public void CheckPointer_OtherChannel_ThrowsWrongChannel()
    {
        Action check = () => ReleasePolicy.CheckPointer(Pointer("1.1.0", channel: "beta"), "demo", "stable", _time.GetUtcNow(), floor: null);

        AssertRefused(check, ErrorCode.WrongChannel, UpdateStage.Channel);
    }

    [Fact]
    public void CheckPointer_PastExpiry_ThrowsExpired()
    {
        _time.Advance(TimeSpan.FromDays(8));

        Action check = () => ReleasePolicy.CheckPointer(Pointer("1.1.0"), "demo", "stable", _time.GetUtcNow(), floor: null);

        AssertRefused(check, ErrorCode.Expired, UpdateStage.Channel);
    }

    [Fact]
    public void CheckPointer_ExactlyAtExpiry_ThrowsExpired()
    {
        _time.SetUtcNow(s_pointerExpiry);

        Action check = () => ReleasePolicy.CheckPointer(Pointer("1.1.0"), "demo", "stable", _time.GetUtcNow(), floor: null);

        AssertRefused(check, ErrorCode.Expired, UpdateStage.Channel);
    }

    [Fact]
    public void CheckPointer_OneTickBeforeExpiry_Passes()
    {
        _time.SetUtcNow(s_pointerExpiry.AddTicks(-1));

        Action check = () => ReleasePolicy.CheckPointer(Pointer("1.1.0"), "demo", "stable", _time.GetUtcNow(), floor: null);

        check.Should().NotThrow();
    }

    [Theory]
    [InlineData("1.0.9", "1.1.0")]
    [InlineData("1.1.0-rc.1", "1.1.0")]
    [InlineData("0.9.0", "1.0.0-alpha")]
    [InlineData("2.0.0-alpha.1", "2.0.0-alpha.2")]
    public void CheckPointer_VersionBelowFloor_ThrowsDowngrade(string offered, string floor)
    {
        Action check = () => ReleasePolicy.CheckPointer(Pointer(offered), "demo", "stable", _time.GetUtcNow(), SemanticVersion.Parse(floor));

        AssertRefused(check, ErrorCode.Downgrade, UpdateStage.Channel);
    }

    [Theory]
    [InlineData("1.1.0", "1.1.0")]
    [InlineData("1.1.0+build.2", "1.1.0+build.1")]
    [InlineData("1.1.1", "1.1.0")]
    [InlineData("1.1.0", "1.1.0-rc.1")]
    public void CheckPointer_VersionAtOrAboveFloor_Passes(string offered, string floor)
    {
        Action check = () => ReleasePolicy.CheckPointer(Pointer(offered), "demo", "stable", _time.GetUtcNow(), SemanticVersion.Parse(floor));

        check.Should().NotThrow();
    }

    [Fact]
    public void CheckPointer_ExpiredAndBelowFloor_ReportsExpiryFirst()
    {
        _time.SetUtcNow(s_pointerExpiry);

        Action check = () => ReleasePolicy.CheckPointer(Pointer("1.0.0"), "demo", "stable", _time.GetUtcNow(), SemanticVersion.Parse("2.0.0"));

        AssertRefused(check, ErrorCode.Expired, UpdateStage.Channel);
    }

    [Fact]
    public void CheckManifest_MatchingFreshManifest_Passes()
    {
        Action check = () => ReleasePolicy.CheckManifest(Manifest("1.1.0"), Pointer("1.1.0"), _time.GetUtcNow());

        check.Should().NotThrow();
    }

    [Fact]
    public void CheckManifest_OtherApp_ThrowsWrongApp()
    {
        Action check = () => ReleasePolicy.CheckManifest(Manifest("1.1.0", app: "other"), Pointer("1.1.0"), _time.GetUtcNow());

        AssertRefused(check, ErrorCode.WrongApp, UpdateStage.Manifest);
    }

    [Fact]
    public void CheckManifest_OtherChannel_ThrowsWrongChannel()
    {
        Action check = () => ReleasePolicy.CheckManifest(Manifest("1.1.0", channel: "beta"), Pointer("1.1.0"), _time.GetUtcNow());

        AssertRefused(check, ErrorCode.WrongChannel, UpdateStage.Manifest);
    }

    [Theory]
    [InlineData("1.0.0", "1.1.0")]
    [InlineData("1.2.0", "1.1.0")]
    [InlineData("1.1.0-rc.1", "1.1.0")]
    [InlineData("1.1.0+other", "1.1.0+build")]
    public void CheckManifest_VersionDifferingFromPointer_ThrowsManifestMismatch(string manifestVersion, string pointerVersion)
    {
        Action check = () => ReleasePolicy.CheckManifest(Manifest(manifestVersion), Pointer(pointerVersion), _time.GetUtcNow());

        AssertRefused(check, ErrorCode.ManifestMismatch, UpdateStage.Manifest);
    }

    [Fact]
    public void CheckManifest_PastExpiry_ThrowsExpired()
    {
        _time.Advance(TimeSpan.FromDays(31));

        Action check = () => ReleasePolicy.CheckManifest(Manifest("1.1.0"), Pointer("1.1.0"), _time.GetUtcNow());

        AssertRefused(check, ErrorCode.Expired, UpdateStage.Manifest);
    }

    [Fact]
    public void CheckManifest_ExactlyAtExpiry_ThrowsExpired()
    {
        _time.SetUtcNow(s_manifestExpiry);

        Action check = () => ReleasePolicy.CheckManifest(Manifest("1.1.0"), Pointer("1.1.0"), _time.GetUtcNow());

        AssertRefused(check, ErrorCode.Expired, UpdateStage.Manifest);
    }

    private static void AssertRefused(Action check, ErrorCode code, UpdateStage stage)
    {
        VerificationException ex = check.Should().Throw<VerificationException>().Which;
        ex.Code.Should().Be(code);
        ex.Stage.Should().Be(stage);
    }

    private static ChannelPointer Pointer(string version, string app = "demo", string channel = "stable") =>
        new(app, channel, SemanticVersion.Parse(version), new byte[32], 812, s_pointerExpiry);

    private static ReleaseManifest Manifest(string version, string app = "demo", string channel = "stable") =>
        new(app, channel, SemanticVersion.Parse(version), s_start, s_manifestExpiry, []);
}
