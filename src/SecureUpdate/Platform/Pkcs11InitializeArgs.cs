namespace SecureUpdate.Platform;

/// <summary><c>CK_C_INITIALIZE_ARGS</c>: no mutex callbacks, the flags, a reserved null.</summary>
internal unsafe struct Pkcs11InitializeArgs
{
    public void* CreateMutex;
    public void* DestroyMutex;
    public void* LockMutex;
    public void* UnlockMutex;
    public nuint Flags;
    public void* Reserved;
}
