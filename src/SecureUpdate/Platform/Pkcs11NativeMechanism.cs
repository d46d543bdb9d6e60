namespace SecureUpdate.Platform;

/// <summary><c>CK_MECHANISM</c>: a mechanism type and its (here always absent) parameter.</summary>
internal unsafe struct Pkcs11NativeMechanism
{
    public nuint Mechanism;
    public void* Parameter;
    public nuint ParameterLength;
}
