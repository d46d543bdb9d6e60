using System.IO.Abstractions;
using System.Runtime.Versioning;
using SecureUpdate.Errors;
using SecureUpdate.Formats;
using SecureUpdate.Publishing;
using SecureUpdate.Tests.Infrastructure;
using SecureUpdate.Trust;

namespace SecureUpdate.Tests.Publishing;

[UnsupportedOSPlatform("windows")]
public sealed class KeyGeneratorTests : IDisposable
{
    private const UnixFileMode ExecuteBits = UnixFileMode.UserExecute | UnixFileMode.GroupExecute | UnixFileMode.OtherExecute;

    private readonly TempFolder _folder = new();
    private readonly FileSystem _fileSystem = new();

    public void Dispose() => _folder.Dispose();

    [Fact]
    public void Generate_NewName_WritesOwnerOnlyKeyAndReadablePublicKey()
    {
        string keys = _folder.Combine("keys");

        string keyId = new KeyGenerator(new System.IO.Abstractions.FileSystem()).Generate(keys, "release");

        File.GetUnixFileMode(Path.Combine(keys, "release.key")).Should().Be(UnixFileMode.UserRead | UnixFileMode.UserWrite);
        UnixFileMode pub = File.GetUnixFileMode(Path.Combine(keys, "release.pub"));
        pub.Should().HaveFlag(UnixFileMode.UserRead).And.HaveFlag(UnixFileMode.UserWrite);
        (pub & (ExecuteBits | UnixFileMode.GroupWrite | UnixFileMode.OtherWrite)).Should().Be((UnixFileMode)0);
        using IDocumentSigner key = KeyFiles.Load(_fileSystem, Path.Combine(keys, "release.key"), new EnvironmentPassphraseProvider());
        key.KeyId.Should().Be(keyId);
        TrustRoot trust = TrustRoot.Load(_fileSystem, Path.Combine(keys, "release.pub"));
        trust.ReleaseRole.TryGetKey(keyId, false, out TrustedKey pinned).Should().BeTrue();
        pinned.PublicKey.Should().Equal(key.PublicKey);
    }

    [Fact]
    public void Generate_PublicKeyCannotBeWritten_LeavesNoPrivateKeyBehind()
    {
        // A folder where NAME.pub belongs: the private key is written first, then the public one fails.
        string keys = _folder.CreateFolder("keys");
        Directory.CreateDirectory(Path.Combine(keys, "release.pub"));

        var generate = () => new KeyGenerator(_fileSystem).Generate(keys, "release");

        generate.Should().Throw<ConfigurationException>();
        File.Exists(Path.Combine(keys, "release.key")).Should().BeFalse("half a key pair is not left behind");
        Directory.EnumerateFileSystemEntries(keys).Select(Path.GetFileName).Should().Equal("release.pub");
    }

    [Fact]
    public void Generate_TwoNames_MakeDifferentKeys()
    {
        string first = new KeyGenerator(new System.IO.Abstractions.FileSystem()).Generate(_folder.Path, "one");
        string second = new KeyGenerator(new System.IO.Abstractions.FileSystem()).Generate(_folder.Path, "two");

        first.Should().NotBe(second).And.MatchRegex("^[0-9a-f]{64}$");
    }

    [Fact]
    public void Generate_SameNameTwice_ThrowsAndKeepsOriginalKeyBytes()
    {
        new KeyGenerator(new System.IO.Abstractions.FileSystem()).Generate(_folder.Path, "release");
        byte[] privateBefore = File.ReadAllBytes(_folder.Combine("release.key"));
        byte[] publicBefore = File.ReadAllBytes(_folder.Combine("release.pub"));

        Action again = () => new KeyGenerator(new System.IO.Abstractions.FileSystem()).Generate(_folder.Path, "release");

        ConfigurationException ex = again.Should().Throw<ConfigurationException>().Which;
        ex.Code.Should().Be(ErrorCode.Config);
        File.ReadAllBytes(_folder.Combine("release.key")).Should().Equal(privateBefore);
        File.ReadAllBytes(_folder.Combine("release.pub")).Should().Equal(publicBefore);
        File.GetUnixFileMode(_folder.Combine("release.key")).Should().Be(UnixFileMode.UserRead | UnixFileMode.UserWrite);
    }

    [Fact]
    public void Generate_OnlyPublicKeyOfThatNameExists_ThrowsAndWritesNoPrivateKey()
    {
        File.WriteAllText(_folder.Combine("release.pub"), "placeholder");

        Action generate = () => new KeyGenerator(new System.IO.Abstractions.FileSystem()).Generate(_folder.Path, "release");

        generate.Should().Throw<ConfigurationException>().Which.Code.Should().Be(ErrorCode.Config);
        File.Exists(_folder.Combine("release.key")).Should().BeFalse();
        File.ReadAllText(_folder.Combine("release.pub")).Should().Be("placeholder");
    }

    [Fact]
    public void GenerateEncrypted_NewName_WritesOwnerOnlyEncryptedKeyThatSignsWithThePassphrase()
    {
        string keys = _folder.Combine("keys");
        const string passphrase = "a long passphrase for the release key";

        string keyId = new KeyGenerator(_fileSystem).GenerateEncrypted(keys, "release", passphrase);

        string keyFile = Path.Combine(keys, "release.key");
        File.GetUnixFileMode(keyFile).Should().Be(UnixFileMode.UserRead | UnixFileMode.UserWrite);
        byte[] keyBytes = File.ReadAllBytes(keyFile);
        System.Text.Encoding.UTF8.GetString(keyBytes).Should().Contain("\"schema\": \"secure-update/encrypted-private-key/v1\"").And.NotContain("privateKey");
        TrustRoot trust = TrustRoot.Load(_fileSystem, Path.Combine(keys, "release.pub"));
        trust.ReleaseRole.TryGetKey(keyId, false, out TrustedKey pinned).Should().BeTrue();
        EncryptedKeyReader.PublicKeyOf(keyBytes, passphrase).Should().Equal(pinned.PublicKey);

        var passphrases = new FixedPassphraseProvider(passphrase);
        using IDocumentSigner key = KeyFiles.Load(_fileSystem, keyFile, passphrases);
        byte[] digest = System.Security.Cryptography.SHA256.HashData("a channel pointer"u8);
        SignatureEntry signature = key.Sign(DocumentType.Channel, digest);

        passphrases.Calls.Should().Be(1);
        key.KeyId.Should().Be(keyId);
        SecureUpdate.Trust.Ed25519.Verify(pinned.PublicKey, SignatureDomain.Message(DocumentType.Channel, digest), Convert.FromBase64String(signature.Signature)).Should().BeTrue();
        Action wrong = () => KeyFiles.Load(_fileSystem, keyFile, new FixedPassphraseProvider("not the passphrase"));
        wrong.Should().Throw<ConfigurationException>().Which.Code.Should().Be(ErrorCode.Config);
    }

    [Fact]
    public void GenerateEncrypted_EmptyPassphrase_ThrowsUsageAndWritesNothing()
    {
        string keys = _folder.Combine("keys");

        Action generate = () => new KeyGenerator(_fileSystem).GenerateEncrypted(keys, "release", "");

        generate.Should().Throw<ConfigurationException>().Which.Code.Should().Be(ErrorCode.Usage);
        Directory.Exists(keys).Should().BeFalse();
    }

    [Fact]
    public void GenerateEncrypted_SameNameAsAPlainKey_ThrowsAndKeepsTheKey()
    {
        new KeyGenerator(_fileSystem).Generate(_folder.Path, "release");
        byte[] before = File.ReadAllBytes(_folder.Combine("release.key"));

        Action again = () => new KeyGenerator(_fileSystem).GenerateEncrypted(_folder.Path, "release", "passphrase");

        again.Should().Throw<ConfigurationException>().Which.Code.Should().Be(ErrorCode.Config);
        File.ReadAllBytes(_folder.Combine("release.key")).Should().Equal(before);
    }

    [Theory]
    [InlineData("../escape")]
    [InlineData("Release")]
    [InlineData("")]
    [InlineData("a/b")]
    public void Generate_InvalidName_ThrowsUsageAndWritesNothing(string name)
    {
        string keys = _folder.Combine("keys");

        Action generate = () => new KeyGenerator(new System.IO.Abstractions.FileSystem()).Generate(keys, name);

        generate.Should().Throw<ConfigurationException>().Which.Code.Should().Be(ErrorCode.Usage);
        Directory.Exists(keys).Should().BeFalse();
        Directory.EnumerateFileSystemEntries(_folder.Path).Should().BeEmpty();
    }
}
