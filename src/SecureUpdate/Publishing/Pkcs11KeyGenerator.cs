using System.IO.Abstractions;
using System.Security.Cryptography;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Logging.Abstractions;
using SecureUpdate.Documents;
using SecureUpdate.Errors;
using SecureUpdate.Formats;
using SecureUpdate.Platform;
using SecureUpdate.Trust;

namespace SecureUpdate.Publishing;

/// <summary>
/// Creates Ed25519 key pairs inside an HSM through PKCS#11. The private key is generated in the
/// token, sensitive and never extractable; what is written is <c>NAME.pub</c> and <c>NAME.key</c> as a
/// key reference (docs/formats.md) that every command taking a key file signs through.
/// </summary>
public sealed class Pkcs11KeyGenerator
{
    private const int CkaIdBytes = 16;

    private readonly IFileSystem _fileSystem;
    private readonly DiskOperations _disk;
    private readonly ILogger _logger;

    /// <summary>Creates a key generator.</summary>
    public Pkcs11KeyGenerator(IFileSystem fileSystem)
        : this(fileSystem, new DiskOperations())
    {
    }

    internal Pkcs11KeyGenerator(IFileSystem fileSystem, DiskOperations disk, ILogger? logger = null)
    {
        ArgumentNullException.ThrowIfNull(fileSystem);
        _fileSystem = fileSystem;
        _disk = disk;
        _logger = logger ?? NullLogger.Instance;
    }

    /// <summary>
    /// Generates a key pair in the token of <paramref name="request"/>, labelled <see cref="Pkcs11KeyRequest.KeyLabel"/>
    /// with a random <c>CKA_ID</c>, then writes <c>NAME.key</c> (the reference, owner-only, never overwritten) and
    /// <c>NAME.pub</c> into <paramref name="folder"/>; returns the key id. On any failure nothing is left:
    /// neither files nor the key pair.
    /// </summary>
    /// <exception cref="ConfigurationException">
    /// The name, labels or PIN variable are not valid; a key of that name exists in the folder or of that label in
    /// the token; the PIN variable is unset; the module, token or PIN is refused; or the token cannot make Ed25519 keys.
    /// </exception>
    public string Generate(string folder, string name, Pkcs11KeyRequest request)
    {
        ArgumentNullException.ThrowIfNull(folder);
        ArgumentNullException.ThrowIfNull(name);
        ArgumentNullException.ThrowIfNull(request);
        var files = new KeyPairFiles(_fileSystem, _disk, folder, name, _logger);
        var tokenLabel = request.TokenLabel ?? "";
        var keyLabel = request.KeyLabel ?? name;
        var invalid = Pkcs11KeyReference.CheckLabels(tokenLabel, keyLabel);
        if (invalid is not null)
        {
            throw Error.Usage($"The {invalid}.", "KeyLabel");
        }

        if (string.IsNullOrEmpty(request.Module))
        {
            throw Error.Usage("A PKCS#11 module is required.", "Pkcs11Module");
        }

        if (!Pkcs11KeyReference.IsVariableName(request.PinVariable))
        {
            throw Error.Pkcs11PinVariableInvalid(request.PinVariable ?? "");
        }

        // A path is kept absolute, so the reference works from any folder; a bare library name is left to the loader.
        var module = request.Module.Contains('/', StringComparison.Ordinal) ? _fileSystem.Path.GetFullPath(request.Module) : request.Module;
        using var token = Pkcs11Token.Open(module, tokenLabel, request.PinVariable, readWrite: true);
        if (token.HoldsLabel(keyLabel))
        {
            throw Error.Pkcs11KeyLabelTaken(tokenLabel, keyLabel);
        }

        var ckaId = RandomNumberGenerator.GetBytes(CkaIdBytes);
        var (publicKeyHandle, privateKeyHandle) = token.GenerateEd25519(keyLabel, ckaId);
        var wroteReference = false;
        try
        {
            var publicKey = token.ReadEd25519PublicKey(publicKeyHandle, keyLabel);
            var keyId = KeyIds.Compute(publicKey);
            var reference = new Pkcs11KeyReference
            {
                Module = module,
                TokenLabel = tokenLabel,
                KeyLabel = keyLabel,
                CkaId = ckaId,
                PinVariable = request.PinVariable,
                KeyId = keyId,
            };

            files.WritePrivate(reference.Export());
            wroteReference = true;
            files.WritePublic(keyId, publicKey);
            return keyId;
        }
        catch
        {
            if (wroteReference)
            {
                files.RemovePrivate();
            }

            token.TryDestroy(privateKeyHandle);
            token.TryDestroy(publicKeyHandle);
            throw;
        }
    }
}
