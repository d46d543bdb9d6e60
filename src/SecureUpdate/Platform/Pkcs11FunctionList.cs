namespace SecureUpdate.Platform;

/// <summary>
/// <c>CK_FUNCTION_LIST</c> of PKCS#11 v2.40, in its exact order: the module's table of entry
/// points, returned by <c>C_GetFunctionList</c>. <c>CK_ULONG</c> (C <c>unsigned long</c>) is
/// <see cref="nuint"/>, which is exact on every Unix ABI; entries this code never calls are plain pointers.
/// </summary>
internal unsafe struct Pkcs11FunctionList
{
#pragma warning disable SA1307, IDE1006 // the PKCS#11 names, so the table reads like the specification
    public ushort Version;
    public delegate* unmanaged<void*, nuint> C_Initialize;
    public delegate* unmanaged<void*, nuint> C_Finalize;
    public nint C_GetInfo;
    public nint C_GetFunctionList;
    public delegate* unmanaged<byte, nuint*, nuint*, nuint> C_GetSlotList;
    public nint C_GetSlotInfo;
    public delegate* unmanaged<nuint, Pkcs11TokenInfo*, nuint> C_GetTokenInfo;
    public nint C_GetMechanismList;
    public nint C_GetMechanismInfo;
    public nint C_InitToken;
    public nint C_InitPIN;
    public nint C_SetPIN;
    public delegate* unmanaged<nuint, nuint, void*, void*, nuint*, nuint> C_OpenSession;
    public delegate* unmanaged<nuint, nuint> C_CloseSession;
    public nint C_CloseAllSessions;
    public nint C_GetSessionInfo;
    public nint C_GetOperationState;
    public nint C_SetOperationState;
    public delegate* unmanaged<nuint, nuint, byte*, nuint, nuint> C_Login;
    public delegate* unmanaged<nuint, nuint> C_Logout;
    public nint C_CreateObject;
    public nint C_CopyObject;
    public delegate* unmanaged<nuint, nuint, nuint> C_DestroyObject;
    public nint C_GetObjectSize;
    public delegate* unmanaged<nuint, nuint, Pkcs11NativeAttribute*, nuint, nuint> C_GetAttributeValue;
    public nint C_SetAttributeValue;
    public delegate* unmanaged<nuint, Pkcs11NativeAttribute*, nuint, nuint> C_FindObjectsInit;
    public delegate* unmanaged<nuint, nuint*, nuint, nuint*, nuint> C_FindObjects;
    public delegate* unmanaged<nuint, nuint> C_FindObjectsFinal;
    public nint C_EncryptInit;
    public nint C_Encrypt;
    public nint C_EncryptUpdate;
    public nint C_EncryptFinal;
    public nint C_DecryptInit;
    public nint C_Decrypt;
    public nint C_DecryptUpdate;
    public nint C_DecryptFinal;
    public nint C_DigestInit;
    public nint C_Digest;
    public nint C_DigestUpdate;
    public nint C_DigestKey;
    public nint C_DigestFinal;
    public delegate* unmanaged<nuint, Pkcs11NativeMechanism*, nuint, nuint> C_SignInit;
    public delegate* unmanaged<nuint, byte*, nuint, byte*, nuint*, nuint> C_Sign;
    public nint C_SignUpdate;
    public nint C_SignFinal;
    public nint C_SignRecoverInit;
    public nint C_SignRecover;
    public nint C_VerifyInit;
    public nint C_Verify;
    public nint C_VerifyUpdate;
    public nint C_VerifyFinal;
    public nint C_VerifyRecoverInit;
    public nint C_VerifyRecover;
    public nint C_DigestEncryptUpdate;
    public nint C_DecryptDigestUpdate;
    public nint C_SignEncryptUpdate;
    public nint C_DecryptVerifyUpdate;
    public nint C_GenerateKey;
    public delegate* unmanaged<nuint, Pkcs11NativeMechanism*, Pkcs11NativeAttribute*, nuint, Pkcs11NativeAttribute*, nuint, nuint*, nuint*, nuint> C_GenerateKeyPair;
    public nint C_WrapKey;
    public nint C_UnwrapKey;
    public nint C_DeriveKey;
    public nint C_SeedRandom;
    public nint C_GenerateRandom;
    public nint C_GetFunctionStatus;
    public nint C_CancelFunction;
    public nint C_WaitForSlotEvent;
#pragma warning restore SA1307, IDE1006
}
