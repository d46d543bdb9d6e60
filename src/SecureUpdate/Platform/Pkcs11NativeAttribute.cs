namespace SecureUpdate.Platform;

/// <summary><c>CK_ATTRIBUTE</c>: a type, a pointer to its value and the value's length.</summary>
internal unsafe struct Pkcs11NativeAttribute
{
    public nuint Type;
    public void* Value;
    public nuint ValueLength;
}
