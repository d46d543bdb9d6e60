using System.Buffers.Binary;
using SecureUpdate.Formats;

namespace SecureUpdate.Tests.Formats;

/// <summary>The embedded-signature footer parser: strict, and no length in it is trusted until it adds up to the file's.</summary>
public sealed class BinaryTrailerFooterTests
{
    [Fact]
    public void Parse_FooterItWrote_RoundTrips()
    {
        var footer = new BinaryTrailerFooter(1000, 300);

        var bytes = footer.ToBytes();

        bytes.Should().HaveCount(BinaryTrailerFooter.Size);
        bytes[^8..].Should().Equal("SUBINSIG"u8.ToArray(), "the magic is the file's last 8 bytes");
        BinaryPrimitives.ReadUInt32LittleEndian(bytes.AsSpan(12)).Should().Be(1u);
        BinaryTrailerFooter.Parse(bytes, 1000 + 300 + 24).Should().Be(footer);
    }

    [Fact]
    public void Parse_EmptyPayload_IsAccepted()
    {
        BinaryTrailerFooter.Parse(new BinaryTrailerFooter(0, 10).ToBytes(), 34).PayloadLength.Should().Be(0UL);
    }

    [Fact]
    public void Parse_PayloadBeyond4GiB_IsAccepted()
    {
        // Lengths are 64-bit: an executable larger than any 32-bit length signs and verifies.
        const ulong payload = 5_000_000_000;

        BinaryTrailerFooter.Parse(new BinaryTrailerFooter(payload, 600).ToBytes(), (long)payload + 600 + 24).PayloadLength.Should().Be(payload);
    }

    [Theory]
    [InlineData(0UL, 10u, 35L, "do not add up")]
    [InlineData(1UL, 10u, 34L, "do not add up")]
    [InlineData(ulong.MaxValue, 10u, 34L, "do not add up")]
    [InlineData(ulong.MaxValue - 33, 10u, 34L, "do not add up")]
    [InlineData(10UL, 0u, 34L, "is not between 1 and 65536 bytes")]
    [InlineData(10UL, 65537u, 65571L, "is not between 1 and 65536 bytes")]
    [InlineData(10UL, uint.MaxValue, 34L, "is not between 1 and 65536 bytes")]
    [InlineData(0UL, 10u, 10L, "do not add up")]
    public void Parse_AbsurdOrInconsistentLengths_Refused(ulong payload, uint block, long fileLength, string message)
    {
        var bytes = new byte[BinaryTrailerFooter.Size];
        BinaryPrimitives.WriteUInt64LittleEndian(bytes, payload);
        BinaryPrimitives.WriteUInt32LittleEndian(bytes.AsSpan(8), block);
        BinaryPrimitives.WriteUInt32LittleEndian(bytes.AsSpan(12), 1);
        "SUBINSIG"u8.CopyTo(bytes.AsSpan(16));

        var parse = () => BinaryTrailerFooter.Parse(bytes, fileLength);

        parse.Should().Throw<FormatException>().WithMessage($"*{message}*");
    }

    [Theory]
    [InlineData(0u)]
    [InlineData(2u)]
    [InlineData(uint.MaxValue)]
    public void Parse_OtherVersion_Refused(uint version)
    {
        var bytes = new BinaryTrailerFooter(10, 10).ToBytes();
        BinaryPrimitives.WriteUInt32LittleEndian(bytes.AsSpan(12), version);

        var parse = () => BinaryTrailerFooter.Parse(bytes, 44);

        parse.Should().Throw<FormatException>().WithMessage($"*format version is {version}, not 1*");
    }

    [Fact]
    public void Parse_NoMagicOrShortFooter_Refused()
    {
        var bytes = new BinaryTrailerFooter(10, 10).ToBytes();
        bytes[^1] ^= 1;

        BinaryTrailerFooter.HasMagic(bytes).Should().BeFalse();
        BinaryTrailerFooter.HasMagic(new BinaryTrailerFooter(10, 10).ToBytes().AsSpan(1)).Should().BeFalse("a footer is exactly 24 bytes");
        var parse = () => BinaryTrailerFooter.Parse(bytes, 44);
        parse.Should().Throw<FormatException>().WithMessage("*magic*");
    }
}
