using SecureUpdate.Trust;

namespace SecureUpdate.Tests.Trust;

/// <summary>
/// Runs every Wycheproof Ed25519 vector through <see cref="Ed25519.Verify"/>, the one verify
/// path that release signatures take.
/// </summary>
/// <remarks>
/// "valid" must verify and "invalid" must not. "acceptable" marks a legacy leniency a verifier
/// may allow; an updater has no legacy signatures to honour, so it must be refused too. The
/// pinned file has none, so that rule only bites if the file is ever replaced. A missing file
/// fails the tests (the loader throws); they are never skipped.
/// </remarks>
public class WycheproofEd25519Tests
{
    public static TheoryData<int> TestCaseIds()
    {
        var ids = new TheoryData<int>();
        foreach (WycheproofVector vector in WycheproofVectors.All)
        {
            ids.Add(vector.TcId);
        }

        return ids;
    }

    [Theory]
    [MemberData(nameof(TestCaseIds))]
    public void Verify_WycheproofVector_MatchesExpectedResult(int tcId)
    {
        WycheproofVector vector = WycheproofVectors.Get(tcId);
        bool expected = ExpectedOutcome(vector);

        bool verified = Ed25519.Verify(vector.PublicKey, vector.Message, vector.Signature);

        verified.Should().Be(expected, "tcId {0} is '{1}' ({2}; flags {3})", tcId, vector.Result, vector.Comment, string.Join(", ", vector.Flags));
    }

    [Fact]
    public void Verify_AllWycheproofVectors_RunsExactly151AndAllMatch()
    {
        int run = 0;
        var mismatches = new List<int>();
        foreach (WycheproofVector vector in WycheproofVectors.All)
        {
            bool verified = Ed25519.Verify(vector.PublicKey, vector.Message, vector.Signature);
            run++;
            if (verified != ExpectedOutcome(vector))
            {
                mismatches.Add(vector.TcId);
            }
        }

        run.Should().Be(WycheproofVectors.ExpectedCount);
        WycheproofVectors.DeclaredCount.Should().Be(WycheproofVectors.ExpectedCount);
        TestCaseIds().Count.Should().Be(WycheproofVectors.ExpectedCount);
        WycheproofVectors.All.Select(v => v.TcId).Should().OnlyHaveUniqueItems();
        mismatches.Should().BeEmpty();
    }

    [Fact]
    public void Verify_WycheproofFile_HasBothOutcomesAndNoUnknownResult()
    {
        IReadOnlyList<WycheproofVector> all = WycheproofVectors.All;

        all.Select(v => v.Result).Should().OnlyContain(r => r == "valid" || r == "invalid" || r == "acceptable");
        all.Count(v => v.Result == "valid").Should().BePositive();
        all.Count(v => v.Result == "invalid").Should().BePositive();
    }

    private static bool ExpectedOutcome(WycheproofVector vector) => vector.Result switch
    {
        "valid" => true,
        "invalid" => false,
        "acceptable" => false,
        _ => throw new InvalidOperationException($"tcId {vector.TcId} has an unknown result '{vector.Result}'."),
    };
}
