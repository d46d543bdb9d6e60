namespace SecureUpdate.Platform;

/// <summary>
/// A session on one token of a <see cref="Pkcs11Module"/>. It must be disposed before its module:
/// disposing logs out (when this session logged in) and closes the session.
/// </summary>
internal sealed unsafe class Pkcs11Session : IDisposable
{
    /// <summary>The largest attribute value read: far above any key's public point or parameters.</summary>
    private const int MaxAttributeBytes = 64 * 1024;

    private readonly Pkcs11FunctionList* _functions;
    private readonly nuint _handle;
    private bool _loggedIn;
    private bool _closed;

    internal Pkcs11Session(Pkcs11FunctionList* functions, nuint handle)
    {
        _functions = functions;
        _handle = handle;
    }

    /// <summary>
    /// Logs the user in with <paramref name="pin"/>. When the token already has the user logged in
    /// for this process (another session did it), that login is used and left to its owner.
    /// </summary>
    /// <exception cref="Pkcs11Exception">The PIN is wrong or locked, or the module failed.</exception>
    public void Login(ReadOnlySpan<byte> pin)
    {
        ThrowIfClosed();
        nuint result;
        fixed (byte* pointer = pin)
        {
            result = _functions->C_Login(_handle, Pkcs11Constants.User, pointer, (nuint)pin.Length);
        }

        if (result == Pkcs11Constants.UserAlreadyLoggedIn)
        {
            return;
        }

        Pkcs11Module.Check("C_Login", result);
        _loggedIn = true;
    }

    /// <summary>The handles of the objects that match every attribute of <paramref name="template"/>.</summary>
    /// <exception cref="Pkcs11Exception">The module failed.</exception>
    public IReadOnlyList<nuint> FindObjects(IReadOnlyList<Pkcs11Attribute> template)
    {
        ThrowIfClosed();
        using var native = new Pkcs11Template(template);
        Pkcs11Module.Check("C_FindObjectsInit", _functions->C_FindObjectsInit(_handle, native.Pointer, native.Count));
        var found = new List<nuint>();
        try
        {
            var batch = stackalloc nuint[16];
            while (true)
            {
                nuint count = 0;
                Pkcs11Module.Check("C_FindObjects", _functions->C_FindObjects(_handle, batch, 16, &count));
                if (count == 0)
                {
                    break;
                }

                for (nuint i = 0; i < count && i < 16; i++)
                {
                    found.Add(batch[i]);
                }
            }
        }
        finally
        {
            _ = _functions->C_FindObjectsFinal(_handle);
        }

        return found;
    }

    /// <summary>
    /// The value of attribute <paramref name="type"/> of <paramref name="handle"/>, or null when the
    /// token will not reveal it (a sensitive or unextractable value) or the object has no such attribute.
    /// </summary>
    /// <exception cref="Pkcs11Exception">The module failed otherwise.</exception>
    public byte[]? GetAttributeValue(nuint handle, nuint type)
    {
        ThrowIfClosed();
        var attribute = new Pkcs11NativeAttribute { Type = type };
        var result = _functions->C_GetAttributeValue(_handle, handle, &attribute, 1);
        if (result is Pkcs11Constants.AttributeSensitive or Pkcs11Constants.AttributeTypeInvalid || attribute.ValueLength == Pkcs11Constants.UnavailableInformation)
        {
            return null;
        }

        Pkcs11Module.Check("C_GetAttributeValue", result);
        if (attribute.ValueLength > MaxAttributeBytes)
        {
            throw new Pkcs11Exception($"the attribute 0x{(ulong)type:x} is {(ulong)attribute.ValueLength} bytes long, more than {MaxAttributeBytes}", null);
        }

        var value = new byte[(int)attribute.ValueLength];
        fixed (byte* pointer = value)
        {
            attribute.Value = pointer;
            Pkcs11Module.Check("C_GetAttributeValue", _functions->C_GetAttributeValue(_handle, handle, &attribute, 1));
        }

        return value.AsSpan(0, (int)Math.Min(attribute.ValueLength, (nuint)value.Length)).ToArray();
    }

    /// <summary>Generates a key pair inside the token; returns the handles of its public and private key.</summary>
    /// <exception cref="Pkcs11Exception">The token refused the mechanism or a template, or failed.</exception>
    public (nuint PublicKey, nuint PrivateKey) GenerateKeyPair(nuint mechanism, IReadOnlyList<Pkcs11Attribute> publicTemplate, IReadOnlyList<Pkcs11Attribute> privateTemplate)
    {
        ThrowIfClosed();
        using var publicNative = new Pkcs11Template(publicTemplate);
        using var privateNative = new Pkcs11Template(privateTemplate);
        var native = new Pkcs11NativeMechanism { Mechanism = mechanism };
        nuint publicKey = 0;
        nuint privateKey = 0;
        Pkcs11Module.Check(
            "C_GenerateKeyPair",
            _functions->C_GenerateKeyPair(_handle, &native, publicNative.Pointer, publicNative.Count, privateNative.Pointer, privateNative.Count, &publicKey, &privateKey));
        return (publicKey, privateKey);
    }

    /// <summary>Signs <paramref name="data"/> with <paramref name="key"/> inside the token, in one part.</summary>
    /// <exception cref="Pkcs11Exception">The token refused the key or mechanism, or failed.</exception>
    public byte[] Sign(nuint mechanism, nuint key, ReadOnlySpan<byte> data)
    {
        ThrowIfClosed();
        var native = new Pkcs11NativeMechanism { Mechanism = mechanism };
        Pkcs11Module.Check("C_SignInit", _functions->C_SignInit(_handle, &native, key));
        fixed (byte* input = data)
        {
            nuint length = 0;
            Pkcs11Module.Check("C_Sign", _functions->C_Sign(_handle, input, (nuint)data.Length, null, &length));
            if (length == 0 || length > MaxAttributeBytes)
            {
                throw new Pkcs11Exception($"C_Sign announced a signature of {(ulong)length} bytes", null);
            }

            var signature = new byte[(int)length];
            fixed (byte* output = signature)
            {
                Pkcs11Module.Check("C_Sign", _functions->C_Sign(_handle, input, (nuint)data.Length, output, &length));
            }

            return signature.AsSpan(0, (int)Math.Min(length, (nuint)signature.Length)).ToArray();
        }
    }

    /// <summary>Destroys an object (a key pair half made by a keygen that then failed).</summary>
    /// <exception cref="Pkcs11Exception">The module failed.</exception>
    public void DestroyObject(nuint handle)
    {
        ThrowIfClosed();
        Pkcs11Module.Check("C_DestroyObject", _functions->C_DestroyObject(_handle, handle));
    }

    /// <summary>Logs out (when this session logged in) and closes the session; errors are ignored, as nothing is left to undo.</summary>
    public void Dispose()
    {
        if (_closed)
        {
            return;
        }

        _closed = true;
        if (_loggedIn)
        {
            _ = _functions->C_Logout(_handle);
            _loggedIn = false;
        }

        _ = _functions->C_CloseSession(_handle);
    }

    private void ThrowIfClosed() => ObjectDisposedException.ThrowIf(_closed, this);
}
