namespace SecureUpdate.Errors;

/// <content>Verified launch: <c>run</c> executes exactly the bytes it verified, through the descriptor it verified them on.</content>
internal static partial class Error
{
    /// <summary>A verified file that is not an ELF executable (a script would be re-opened by its interpreter through a path).</summary>
    public static ConfigurationException NotAnElfExecutable(string path) =>
        new(ErrorCode.Config, UpdateStage.Verify, $"'{Printable.Of(path)}' is not an ELF executable; run starts only ELF programs, because a script's interpreter would open it again by path, after the check.") { Path = path };

    /// <summary>The kernel refused to execute the verified descriptor.</summary>
    public static ConfigurationException CannotExecute(string path, int errno) =>
        new(ErrorCode.Config, UpdateStage.Verify, errno switch
        {
            13 => $"'{Printable.Of(path)}' cannot be executed: it has no execute permission, or its file system does not allow programs to run (errno 13).",
            8 => $"'{Printable.Of(path)}' cannot be executed: the kernel does not recognise it as a program for this machine (errno 8).",
            _ => $"'{Printable.Of(path)}' cannot be executed (errno {errno}).",
        }) { Path = path };

    /// <summary>Verified launch on an operating system where a descriptor cannot be executed.</summary>
    public static ConfigurationException VerifiedLaunchUnsupported() =>
        new(ErrorCode.Config, UpdateStage.Verify, "Verified launch and the start-up self-check need Linux: only there is a program checked through the descriptor that is executed, or through the image the process started from.");
}
