using System.Runtime.Versioning;
using System.Security.Cryptography;
using SecureUpdate.Errors;
using SecureUpdate.Fallback;
using SecureUpdate.Platform;
using SecureUpdate.Tests.Infrastructure;

namespace SecureUpdate.Tests.Fallback;

/// <summary>The hash allowlist file: its format, its caps, and that only its owner may be able to change it.</summary>
[UnsupportedOSPlatform("windows")]
public sealed class AllowlistTests : IDisposable
{
    private static readonly DateTimeOffset s_now = new(2026, 6, 1, 0, 0, 0, TimeSpan.Zero);
    private static readonly DateTimeOffset s_expires = new(2026, 12, 31, 0, 0, 0, TimeSpan.Zero);
    private static readonly byte[] s_listed = SHA256.HashData("listed manifest"u8);
    private static readonly string s_listedHex = Convert.ToHexStringLower(s_listed);

    public static TheoryData<string> InvalidDocuments => new()
    {
        "unknown top-level field",
        "unknown entry field",
        "null entry",
        "expiry without offset",
        "missing entries",
        "not json",
    };

    private readonly TempFolder _folder = new();

    public void Dispose() => _folder.Dispose();

    private string AllowlistPath => _folder.Combine("allowlist.json");

    [Fact]
    public void Load_ValidFile_FindReturnsTheListedEntry()
    {
        AllowlistFile.Write(AllowlistPath, AllowlistFile.OwnerOnly, AllowlistFile.Entry(s_listedHex, s_expires, "hotfix signed with the old key"));

        var allowlist = Allowlist.Load(new DiskOperations(), AllowlistPath);
        var entry = allowlist.Find(s_listed, s_now, out var why);

        entry.Should().NotBeNull();
        entry!.ManifestSha256.Should().Be(s_listedHex);
        entry.Expires.Should().Be(s_expires);
        entry.Note.Should().Be("hotfix signed with the old key");
        why.Should().BeEmpty();
        allowlist.Path.Should().Be(Path.GetFullPath(AllowlistPath));
    }

    [Fact]
    public void Load_EntryWithoutNote_IsAccepted()
    {
        AllowlistFile.Write(AllowlistPath, AllowlistFile.OwnerOnly, AllowlistFile.Entry(s_listedHex, s_expires));

        var entry = Allowlist.Load(new DiskOperations(), AllowlistPath).Find(s_listed, s_now, out _);

        entry.Should().NotBeNull();
        entry!.Note.Should().BeNull();
    }

    [Fact]
    public void Load_EmptyEntries_LoadsAndListsNothing()
    {
        AllowlistFile.Write(AllowlistPath, AllowlistFile.OwnerOnly);

        Allowlist.Load(new DiskOperations(), AllowlistPath).Find(s_listed, s_now, out var why).Should().BeNull();
        why.Should().Contain(s_listedHex);
    }

    [Fact]
    public void Find_UnlistedDigest_ReturnsNullAndNamesTheDigest()
    {
        AllowlistFile.Write(AllowlistPath, AllowlistFile.OwnerOnly, AllowlistFile.Entry(s_listedHex, s_expires));
        var other = SHA256.HashData("another manifest"u8);

        var entry = Allowlist.Load(new DiskOperations(), AllowlistPath).Find(other, s_now, out var why);

        entry.Should().BeNull();
        why.Should().Contain(Convert.ToHexStringLower(other)).And.Contain("not in the allowlist");
    }

    [Fact]
    public void Find_ExpiredEntry_ReturnsNullAndSaysExpired()
    {
        AllowlistFile.Write(AllowlistPath, AllowlistFile.OwnerOnly, AllowlistFile.Entry(s_listedHex, s_now.AddDays(-1)));

        var entry = Allowlist.Load(new DiskOperations(), AllowlistPath).Find(s_listed, s_now, out var why);

        entry.Should().BeNull();
        why.Should().Contain("expired").And.Contain(s_listedHex);
    }

    [Fact]
    public void Find_AtTheExactExpiry_IsExpired()
    {
        AllowlistFile.Write(AllowlistPath, AllowlistFile.OwnerOnly, AllowlistFile.Entry(s_listedHex, s_now));

        Allowlist.Load(new DiskOperations(), AllowlistPath).Find(s_listed, s_now, out var why).Should().BeNull();
        why.Should().Contain("expired");
    }

    [Fact]
    public void Find_ExpiredAndValidEntriesForOneDigest_ReturnsTheValidOne()
    {
        AllowlistFile.Write(
            AllowlistPath,
            AllowlistFile.OwnerOnly,
            AllowlistFile.Entry(s_listedHex, s_now.AddDays(-1), "old"),
            AllowlistFile.Entry(s_listedHex, s_expires, "renewed"));

        var entry = Allowlist.Load(new DiskOperations(), AllowlistPath).Find(s_listed, s_now, out _);

        entry.Should().NotBeNull();
        entry!.Note.Should().Be("renewed");
    }

    [Fact]
    public void FindManifest_HashesTheExactBytes()
    {
        var manifest = "{\"schema\":\"x\"}\n"u8.ToArray();
        AllowlistFile.Write(AllowlistPath, AllowlistFile.OwnerOnly, AllowlistFile.Entry(Convert.ToHexStringLower(SHA256.HashData(manifest)), s_expires));
        var allowlist = Allowlist.Load(new DiskOperations(), AllowlistPath);

        allowlist.FindManifest(manifest, s_now, out _).Should().NotBeNull();
        allowlist.FindManifest([.. manifest, (byte)' '], s_now, out _).Should().BeNull();
    }

    [Fact]
    public void Load_WrongSchema_IsRefused()
    {
        AllowlistFile.WriteText(AllowlistPath, AllowlistFile.Document([AllowlistFile.Entry(s_listedHex, s_expires)], schema: "secure-update/allowlist/v2"));

        LoadFailure().Should().Contain("schema");
    }

    [Theory]
    [MemberData(nameof(InvalidDocuments))]
    public void Load_InvalidDocument_IsRefused(string defect)
    {
        var text = defect switch
        {
            "unknown top-level field" => "{\"schema\":\"secure-update/allowlist/v1\",\"entries\":[],\"trustEverything\":true}",
            "unknown entry field" => AllowlistFile.Document([AllowlistFile.Entry(s_listedHex, s_expires).TrimEnd('}') + ",\"version\":\"1.0.0\"}"]),
            "null entry" => AllowlistFile.Document(["null"]),
            "expiry without offset" => AllowlistFile.Document(["{\"manifestSha256\":\"" + s_listedHex + "\",\"expires\":\"2026-12-31T00:00:00\"}"]),
            "missing entries" => "{\"schema\":\"secure-update/allowlist/v1\"}",
            "not json" => "manifestSha256 " + s_listedHex,
            _ => throw new ArgumentOutOfRangeException(nameof(defect), defect, null),
        };
        AllowlistFile.WriteText(AllowlistPath, text);

        LoadFailure().Should().Contain("is not valid");
    }

    [Theory]
    [InlineData("uppercase")]
    [InlineData("short")]
    [InlineData("long")]
    [InlineData("not-hex")]
    [InlineData("empty")]
    public void Load_DigestNotSixtyFourLowercaseHex_IsRefused(string shape)
    {
        var digest = shape switch
        {
            "uppercase" => s_listedHex.ToUpperInvariant(),
            "short" => s_listedHex[..63],
            "long" => s_listedHex + "0",
            "not-hex" => new string('g', 64),
            _ => "",
        };
        AllowlistFile.Write(AllowlistPath, AllowlistFile.OwnerOnly, AllowlistFile.Entry(digest, s_expires));

        LoadFailure().Should().Contain("64 lowercase hex");
    }

    [Fact]
    public void Load_ExactlyMaxEntries_IsAccepted()
    {
        AllowlistFile.Write(AllowlistPath, AllowlistFile.OwnerOnly, DistinctEntries(Allowlist.MaxEntries));

        Allowlist.Load(new DiskOperations(), AllowlistPath).Find(s_listed, s_now, out _).Should().BeNull();
    }

    [Fact]
    public void Load_MoreThanMaxEntries_IsRefused()
    {
        AllowlistFile.Write(AllowlistPath, AllowlistFile.OwnerOnly, DistinctEntries(Allowlist.MaxEntries + 1));

        LoadFailure().Should().Contain("more than 1024 entries");
    }

    [Fact]
    public void Load_LargerThan256KiB_IsRefused()
    {
        AllowlistFile.Write(AllowlistPath, AllowlistFile.OwnerOnly, AllowlistFile.Entry(s_listedHex, s_expires, new string('n', 256 * 1024)));
        new FileInfo(AllowlistPath).Length.Should().BeGreaterThan(256 * 1024);

        LoadFailure().Should().Contain("larger than 262144 bytes");
    }

    [Fact]
    public void Load_MissingFile_IsRefused()
    {
        LoadFailure().Should().Contain("does not exist");
    }

    [Fact]
    public void Load_PathIsAFolder_IsRefused()
    {
        Directory.CreateDirectory(AllowlistPath);

        LoadFailure().Should().Contain(AllowlistPath);
    }

    [Fact]
    public void Load_NamedPipe_IsRefusedAsNotARegularFile()
    {
        UnixFiles.MakeNamedPipe(AllowlistPath);

        // The test holds the pipe open for writing, so that opening it to read does not wait for a writer.
        using var writer = new FileStream(AllowlistPath, FileMode.Open, FileAccess.ReadWrite);

        LoadFailure().Should().Contain("is a named pipe (FIFO), not a regular file");
    }

    [Theory]
    [InlineData(0b110_110_100)] // 0664: group-writable
    [InlineData(0b110_100_110)] // 0646: other-writable
    [InlineData(0b110_110_110)] // 0666
    [InlineData(0b110_000_010)] // 0602
    public void Load_WritableByGroupOrOthers_IsRefusedAndSaysSo(int mode)
    {
        AllowlistFile.Write(AllowlistPath, (UnixFileMode)mode, AllowlistFile.Entry(s_listedHex, s_expires));

        LoadFailure().Should().Contain("writable by group or others");
    }

    [Fact]
    public void Load_OwnedByAnotherUser_IsRefusedAndSaysSo()
    {
        AllowlistFile.Write(AllowlistPath, AllowlistFile.OwnerOnly, AllowlistFile.Entry(s_listedHex, s_expires));
        UnixFiles.ChangeOwner(AllowlistPath);

        LoadFailure().Should().Contain("owned by another user").And.Contain("uid 65534");
    }

    [Theory]
    [InlineData(0b110_000_000)] // 0600
    [InlineData(0b110_100_100)] // 0644
    [InlineData(0b100_000_000)] // 0400
    public void Load_OwnerOnlyWritable_IsAccepted(int mode)
    {
        AllowlistFile.Write(AllowlistPath, (UnixFileMode)mode, AllowlistFile.Entry(s_listedHex, s_expires));

        Allowlist.Load(new DiskOperations(), AllowlistPath).Find(s_listed, s_now, out _).Should().NotBeNull();
    }

    [Fact]
    public void Load_SymlinkToAGroupWritableFile_IsRefused()
    {
        var real = _folder.Combine("real.json");
        AllowlistFile.Write(real, (UnixFileMode)0b110_110_100, AllowlistFile.Entry(s_listedHex, s_expires));
        File.CreateSymbolicLink(AllowlistPath, real);

        LoadFailure().Should().Contain("writable by group or others");
    }

    private string LoadFailure()
    {
        var load = () => Allowlist.Load(new DiskOperations(), AllowlistPath);
        var failure = load.Should().Throw<ConfigurationException>().Which;
        failure.Code.Should().Be(ErrorCode.Config);
        failure.Message.Should().Contain(AllowlistPath);
        return failure.Message;
    }

    private static string[] DistinctEntries(int count) =>
        Enumerable.Range(0, count)
            .Select(i => AllowlistFile.Entry(Convert.ToHexStringLower(SHA256.HashData(BitConverter.GetBytes(i))), s_expires))
            .ToArray();
}
