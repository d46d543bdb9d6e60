using System.Text;

namespace SecureUpdate.Tests.Infrastructure;

/// <summary>Applies a <see cref="FileMutation"/> to a file in place.</summary>
public static class FileMutator
{
    public static void Apply(string path, FileMutation mutation)
    {
        var bytes = File.ReadAllBytes(path);
        bytes.Should().NotBeEmpty("{0} must exist and have content before it is tampered with", path);
        var mutated = mutation switch
        {
            FileMutation.Flip => Flip(bytes),
            FileMutation.Truncate => bytes[..(bytes.Length / 2)],
            FileMutation.Extend => [.. bytes, .. Appendix(path)],
            FileMutation.Empty => [],
            _ => throw new ArgumentOutOfRangeException(nameof(mutation), mutation, null),
        };
        File.WriteAllBytes(path, mutated);
    }

    private static byte[] Flip(byte[] bytes)
    {
        var copy = (byte[])bytes.Clone();
        copy[copy.Length / 2] ^= 0x01;
        return copy;
    }

    private static byte[] Appendix(string path)
    {
        if (path.EndsWith(".sig", StringComparison.Ordinal))
        {
            // An envelope is not itself signed: only content that breaks it is an attack on it.
            return Encoding.UTF8.GetBytes("{\"schema\":\"x\"}");
        }

        if (path.EndsWith(".json", StringComparison.Ordinal))
        {
            // Whitespace keeps the JSON valid: only signing the exact bytes catches it.
            return Encoding.UTF8.GetBytes(" \n");
        }

        return Encoding.UTF8.GetBytes("appended payload bytes");
    }
}
