using System.Runtime.InteropServices;

namespace SecureUpdate.Platform;

/// <summary>
/// A template laid out in native memory for one call: the <c>CK_ATTRIBUTE</c> array followed by
/// the values it points to, in one block that stays put until it is disposed.
/// </summary>
internal sealed unsafe class Pkcs11Template : IDisposable
{
    private void* _block;

    public Pkcs11Template(IReadOnlyList<Pkcs11Attribute> attributes)
    {
        ArgumentNullException.ThrowIfNull(attributes);
        var headers = (nuint)(attributes.Count * sizeof(Pkcs11NativeAttribute));
        nuint total = headers;
        foreach (var attribute in attributes)
        {
            total += (nuint)attribute.Value.Length;
        }

        _block = NativeMemory.AllocZeroed(total == 0 ? 1 : total);
        var entries = (Pkcs11NativeAttribute*)_block;
        var values = (byte*)_block + headers;
        for (var i = 0; i < attributes.Count; i++)
        {
            var value = attributes[i].Value;
            value.CopyTo(new Span<byte>(values, value.Length));
            entries[i] = new Pkcs11NativeAttribute { Type = attributes[i].Type, Value = values, ValueLength = (nuint)value.Length };
            values += value.Length;
        }

        Count = (nuint)attributes.Count;
    }

    /// <summary>The first <c>CK_ATTRIBUTE</c>.</summary>
    public Pkcs11NativeAttribute* Pointer => (Pkcs11NativeAttribute*)_block;

    /// <summary>How many attributes there are.</summary>
    public nuint Count { get; }

    public void Dispose()
    {
        if (_block is not null)
        {
            NativeMemory.Free(_block);
            _block = null;
        }
    }
}
