namespace SecureUpdate;

/// <summary>What <see cref="VerifiedLaunch.Execute(string, Trust.TrustRoot, IReadOnlyList{string}, VerifiedLaunchMode)"/> executes once the program verifies.</summary>
public enum VerifiedLaunchMode
{
    /// <summary>
    /// The file's own descriptor, the one its bytes were verified through: a file renamed or linked over the path is
    /// never run, and the program sees its real path as its own. Someone who can write the file itself could still
    /// rewrite it between the check and the start, so a file writable by anyone but its owner (root or the caller)
    /// or owned by another user is refused.
    /// </summary>
    Descriptor,

    /// <summary>
    /// A sealed in-memory copy (memfd) of the file, made first and then verified: exactly the verified bytes run,
    /// whoever can write the file. The program sees <c>/memfd:…</c> as its own executable, so one that finds its
    /// files beside its own path (<c>/proc/self/exe</c>) will not find them; systems that forbid executing memory
    /// files (<c>vm.memfd_noexec</c>) refuse it.
    /// </summary>
    InMemory,
}
