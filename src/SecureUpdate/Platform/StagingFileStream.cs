using Microsoft.Win32.SafeHandles;

namespace SecureUpdate.Platform;

/// <summary>
/// A staging file (<see cref="DiskOperations.CreateStagingFile"/>): unbuffered, synchronous, and written
/// back early. Every few MiB written, the kernel is asked to start writing that range to disk
/// (<see cref="DiskOperations.StartWriteback"/>, a no-op where there is no such call), and a tail of at
/// least 1 MiB when the file is closed, so the disk works while the download goes on and the one
/// durability pass at the end of staging (<see cref="DiskOperations.MakeDurable"/>) finds little left to
/// write. Smaller tails, and small files whole, are left to that pass: started one by one, each would
/// cost its writer a system call and the file system's block allocation on the spot (measured: 2,000
/// files of ~33 KB staged 17 % faster without). Nothing here makes a file durable: only that pass does.
/// </summary>
internal sealed class StagingFileStream : FileStream
{
    /// <summary>Large enough for the disk to write efficiently, small enough that little is left for the final flush.</summary>
    private const long WritebackChunk = 8 * 1024 * 1024;

    /// <summary>The least tail whose writeback is started when the file is closed.</summary>
    private const long WritebackTail = 1024 * 1024;

    /// <summary>The end of the range whose writeback was started last.</summary>
    private long _writtenBack;

    private bool _disposed;

    public StagingFileStream(SafeFileHandle handle)
        : base(handle, FileAccess.ReadWrite, bufferSize: 0, isAsync: false)
    {
    }

    public override void Write(byte[] buffer, int offset, int count)
    {
        base.Write(buffer, offset, count);
        Written(WritebackChunk);
    }

    public override void Write(ReadOnlySpan<byte> buffer)
    {
        base.Write(buffer);
        Written(WritebackChunk);
    }

    public override void WriteByte(byte value)
    {
        base.WriteByte(value);
        Written(WritebackChunk);
    }

    public override async ValueTask WriteAsync(ReadOnlyMemory<byte> buffer, CancellationToken cancellationToken = default)
    {
        await base.WriteAsync(buffer, cancellationToken).ConfigureAwait(false);
        Written(WritebackChunk);
    }

    public override async Task WriteAsync(byte[] buffer, int offset, int count, CancellationToken cancellationToken)
    {
        await base.WriteAsync(buffer.AsMemory(offset, count), cancellationToken).ConfigureAwait(false);
        Written(WritebackChunk);
    }

    protected override void Dispose(bool disposing)
    {
        // Disposing twice is allowed (a kept download is closed once it completes, then again by its owner);
        // a closed FileStream no longer gives its handle, so the tail's writeback is started only the first time.
        if (disposing && !_disposed && !SafeFileHandle.IsClosed)
        {
            // A large tail: started now, so that it is on its way while the other files are staged.
            Written(WritebackTail);
        }

        _disposed = true;
        base.Dispose(disposing);
    }

    /// <summary>Starts the writeback of what was written since the last one, once it is at least <paramref name="chunk"/> bytes.</summary>
    private void Written(long chunk)
    {
        var position = Position;
        if (position < _writtenBack)
        {
            // Rewound (a retry starts the file again): the range is counted from there.
            _writtenBack = position;
        }
        else if (position - _writtenBack >= chunk)
        {
            DiskOperations.StartWriteback(SafeFileHandle, _writtenBack, position - _writtenBack);
            _writtenBack = position;
        }
    }
}
