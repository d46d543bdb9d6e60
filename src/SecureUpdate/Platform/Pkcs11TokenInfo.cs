namespace SecureUpdate.Platform;

/// <summary><c>CK_TOKEN_INFO</c>, whole so that the module has room to write all of it; only the label is read.</summary>
internal unsafe struct Pkcs11TokenInfo
{
    /// <summary>The label: 32 bytes of UTF-8, padded with spaces, not terminated.</summary>
    public fixed byte Label[32];
    public fixed byte ManufacturerId[32];
    public fixed byte Model[16];
    public fixed byte SerialNumber[16];
    public nuint Flags;
    public nuint MaxSessionCount;
    public nuint SessionCount;
    public nuint MaxRwSessionCount;
    public nuint RwSessionCount;
    public nuint MaxPinLength;
    public nuint MinPinLength;
    public nuint TotalPublicMemory;
    public nuint FreePublicMemory;
    public nuint TotalPrivateMemory;
    public nuint FreePrivateMemory;
    public ushort HardwareVersion;
    public ushort FirmwareVersion;
    public fixed byte UtcTime[16];
}
