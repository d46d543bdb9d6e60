using System.Runtime.InteropServices;
using System.Text;

namespace SecureUpdate.Platform;

/// <summary>One attribute of a PKCS#11 template: its type and its value's exact bytes.</summary>
internal readonly record struct Pkcs11Attribute(nuint Type, byte[] Value)
{
    /// <summary>A <c>CK_BBOOL</c> attribute.</summary>
    public static Pkcs11Attribute Bool(nuint type, bool value) => new(type, [value ? (byte)1 : (byte)0]);

    /// <summary>A <c>CK_ULONG</c> attribute (a class, a key type), in the machine's byte order.</summary>
    public static Pkcs11Attribute Number(nuint type, nuint value) => new(type, MemoryMarshal.AsBytes<nuint>([value]).ToArray());

    /// <summary>A byte-array attribute (an id, curve parameters).</summary>
    public static Pkcs11Attribute Bytes(nuint type, byte[] value) => new(type, value);

    /// <summary>A UTF-8 string attribute (a label).</summary>
    public static Pkcs11Attribute Text(nuint type, string value) => new(type, Encoding.UTF8.GetBytes(value));
}
