using System.Security.Cryptography;
using System.Text;
using SecureUpdate.Errors;
using SecureUpdate.Platform;

namespace SecureUpdate.Trust;

/// <summary>
/// A logged-in session on one token, named by label, in one PKCS#11 module: what key generation and
/// <see cref="Pkcs11Signer"/> ask of an HSM, with every failure turned into a
/// <see cref="ConfigurationException"/> that names the token. Disposing logs out, closes the
/// session and releases the module (finalised when it was the last user in the process).
/// </summary>
internal sealed class Pkcs11Token : IDisposable
{
    /// <summary>The Ed25519 curve as <c>CKA_EC_PARAMS</c>: the DER OID 1.3.101.112 (RFC 8410), which PKCS#11 3.0 names first.</summary>
    private static readonly byte[] s_ed25519Oid = [0x06, 0x03, 0x2B, 0x65, 0x70];

    /// <summary>The same curve as the DER PrintableString "edwards25519", for modules that only know that spelling.</summary>
    private static readonly byte[] s_ed25519Name = [0x13, 0x0C, .. "edwards25519"u8];

    private readonly Pkcs11Module _module;
    private readonly Pkcs11Session _session;

    private Pkcs11Token(Pkcs11Module module, Pkcs11Session session, string label)
    {
        _module = module;
        _session = session;
        Label = label;
    }

    /// <summary>The token's label.</summary>
    public string Label { get; }

    /// <summary>
    /// Reads the user PIN from <paramref name="pinVariable"/>, loads <paramref name="module"/>, finds the
    /// token labelled <paramref name="tokenLabel"/>, opens a session and logs in.
    /// </summary>
    /// <exception cref="ConfigurationException">The PIN variable is unset, the module cannot be loaded, the token is missing, or it refuses the PIN.</exception>
    public static Pkcs11Token Open(string module, string tokenLabel, string pinVariable, bool readWrite)
    {
        var pin = Environment.GetEnvironmentVariable(pinVariable);
        if (string.IsNullOrEmpty(pin))
        {
            throw Error.Pkcs11PinUnset(pinVariable);
        }

        Pkcs11Module loaded;
        try
        {
            loaded = Pkcs11Module.Load(module);
        }
        catch (Pkcs11Exception ex)
        {
            throw Error.Pkcs11ModuleUnloadable(module, ex.Message, ex);
        }

        Pkcs11Session? session = null;
        try
        {
            nuint? slot;
            try
            {
                slot = loaded.FindToken(tokenLabel);
            }
            catch (Pkcs11Exception ex)
            {
                throw Error.Pkcs11Failed(tokenLabel, "be found", ex);
            }

            if (slot is null)
            {
                throw Error.Pkcs11TokenNotFound(module, tokenLabel);
            }

            try
            {
                session = loaded.OpenSession(slot.Value, readWrite);
            }
            catch (Pkcs11Exception ex)
            {
                throw Error.Pkcs11Failed(tokenLabel, "open a session", ex);
            }

            var pinBytes = Encoding.UTF8.GetBytes(pin);
            try
            {
                session.Login(pinBytes);
            }
            catch (Pkcs11Exception ex) when (ex.ReturnValue is Pkcs11Constants.PinIncorrect or Pkcs11Constants.PinLocked)
            {
                throw Error.Pkcs11PinRefused(tokenLabel, pinVariable, ex.ReturnValue == Pkcs11Constants.PinLocked, ex);
            }
            catch (Pkcs11Exception ex)
            {
                throw Error.Pkcs11Failed(tokenLabel, "log in", ex);
            }
            finally
            {
                CryptographicOperations.ZeroMemory(pinBytes);
            }

            return new Pkcs11Token(loaded, session, tokenLabel);
        }
        catch
        {
            session?.Dispose();
            loaded.Dispose();
            throw;
        }
    }

    /// <summary>Whether the token holds any object (key, certificate, data) labelled <paramref name="label"/>.</summary>
    /// <exception cref="ConfigurationException">The token failed.</exception>
    public bool HoldsLabel(string label) =>
        Call("search its objects", () => _session.FindObjects([Pkcs11Attribute.Text(Pkcs11Constants.Label, label)])).Count > 0;

    /// <summary>The one key of <paramref name="keyClass"/> labelled <paramref name="keyLabel"/> (and with <paramref name="ckaId"/>, when given).</summary>
    /// <exception cref="ConfigurationException">None, or more than one, matches; or the token failed.</exception>
    public nuint FindKey(nuint keyClass, string keyLabel, byte[]? ckaId)
    {
        List<Pkcs11Attribute> template = [Pkcs11Attribute.Number(Pkcs11Constants.Class, keyClass), Pkcs11Attribute.Text(Pkcs11Constants.Label, keyLabel)];
        if (ckaId is not null)
        {
            template.Add(Pkcs11Attribute.Bytes(Pkcs11Constants.Id, ckaId));
        }

        var found = Call("search its keys", () => _session.FindObjects(template));
        return found.Count switch
        {
            0 => throw Error.Pkcs11KeyNotFound(Label, keyLabel),
            1 => found[0],
            _ => throw Error.Pkcs11KeyAmbiguous(Label, keyLabel, found.Count),
        };
    }

    /// <summary>Generates an Ed25519 key pair in the token: the private key sensitive, never extractable, for signing only.</summary>
    /// <exception cref="ConfigurationException">The token cannot make Ed25519 keys, or failed.</exception>
    public (nuint PublicKey, nuint PrivateKey) GenerateEd25519(string keyLabel, byte[] ckaId)
    {
        Pkcs11Exception? refused = null;
        foreach (var curve in new[] { s_ed25519Oid, s_ed25519Name })
        {
            List<Pkcs11Attribute> publicTemplate =
            [
                Pkcs11Attribute.Bool(Pkcs11Constants.Token, true),
                Pkcs11Attribute.Bool(Pkcs11Constants.Private, false),
                Pkcs11Attribute.Bool(Pkcs11Constants.Verify, true),
                Pkcs11Attribute.Text(Pkcs11Constants.Label, keyLabel),
                Pkcs11Attribute.Bytes(Pkcs11Constants.Id, ckaId),
                Pkcs11Attribute.Bytes(Pkcs11Constants.EcParams, curve),
            ];
            List<Pkcs11Attribute> privateTemplate =
            [
                Pkcs11Attribute.Bool(Pkcs11Constants.Token, true),
                Pkcs11Attribute.Bool(Pkcs11Constants.Private, true),
                Pkcs11Attribute.Bool(Pkcs11Constants.Sensitive, true),
                Pkcs11Attribute.Bool(Pkcs11Constants.Extractable, false),
                Pkcs11Attribute.Bool(Pkcs11Constants.Sign, true),
                Pkcs11Attribute.Text(Pkcs11Constants.Label, keyLabel),
                Pkcs11Attribute.Bytes(Pkcs11Constants.Id, ckaId),
            ];
            try
            {
                return _session.GenerateKeyPair(Pkcs11Constants.EcEdwardsKeyPairGen, publicTemplate, privateTemplate);
            }
            catch (Pkcs11Exception ex) when (ex.ReturnValue is Pkcs11Constants.AttributeValueInvalid or Pkcs11Constants.DomainParamsInvalid or Pkcs11Constants.CurveNotSupported)
            {
                // The module does not know this spelling of the curve: try the other one.
                refused = ex;
            }
            catch (Pkcs11Exception ex)
            {
                throw Error.Pkcs11Failed(Label, "generate an Ed25519 key pair", ex);
            }
        }

        throw Error.Pkcs11Failed(Label, "generate an Ed25519 key pair", refused!);
    }

    /// <summary>The raw 32-byte Ed25519 public key of the public key object <paramref name="publicKey"/>.</summary>
    /// <exception cref="ConfigurationException">It has no Ed25519 point, or the token failed.</exception>
    public byte[] ReadEd25519PublicKey(nuint publicKey, string keyLabel)
    {
        var point = Call("read a public key", () => _session.GetAttributeValue(publicKey, Pkcs11Constants.EcPoint));

        // CKA_EC_POINT is the DER OCTET STRING of the 32 raw bytes; some modules give the bare 32 bytes.
        return point switch
        {
            { Length: 34 } when point[0] == 0x04 && point[1] == 0x20 => point[2..],
            { Length: Ed25519.PublicKeySize } => point,
            _ => throw Error.Pkcs11KeyUnusable(Label, keyLabel, "its public key is not an Ed25519 point"),
        };
    }

    /// <summary>Checks that <paramref name="privateKey"/> is an Edwards-curve key the token lets sign.</summary>
    /// <exception cref="ConfigurationException">It is another kind of key, or may not sign.</exception>
    public void CheckSigningKey(nuint privateKey, string keyLabel)
    {
        var keyType = Call("read a key's type", () => _session.GetAttributeValue(privateKey, Pkcs11Constants.KeyType));
        if (keyType is null || !keyType.AsSpan().SequenceEqual(Pkcs11Attribute.Number(Pkcs11Constants.KeyType, Pkcs11Constants.EcEdwardsKeyType).Value))
        {
            throw Error.Pkcs11KeyUnusable(Label, keyLabel, "it is not an Edwards-curve (CKK_EC_EDWARDS) key");
        }

        var sign = Call("read a key's usage", () => _session.GetAttributeValue(privateKey, Pkcs11Constants.Sign));
        if (sign is not [1])
        {
            throw Error.Pkcs11KeyUnusable(Label, keyLabel, "the token does not let it sign (CKA_SIGN is false)");
        }
    }

    /// <summary>Signs <paramref name="message"/> with pure Ed25519 (<c>CKM_EDDSA</c>, no parameters) inside the token.</summary>
    /// <exception cref="ConfigurationException">The token failed or refused.</exception>
    public byte[] SignEd25519(nuint privateKey, byte[] message) =>
        Call("sign", () => _session.Sign(Pkcs11Constants.EdDsa, privateKey, message));

    /// <summary>Destroys an object, when undoing a key generation that failed afterwards; a failure is ignored (the first error is the one reported).</summary>
    public void TryDestroy(nuint handle)
    {
        try
        {
            _session.DestroyObject(handle);
        }
        catch (Pkcs11Exception)
        {
            // Best effort: the keygen's own error is what the user needs to see.
        }
    }

    /// <summary>Logs out, closes the session and releases the module.</summary>
    public void Dispose()
    {
        _session.Dispose();
        _module.Dispose();
    }

    private T Call<T>(string operation, Func<T> call)
    {
        try
        {
            return call();
        }
        catch (Pkcs11Exception ex)
        {
            throw Error.Pkcs11Failed(Label, operation, ex);
        }
    }
}
