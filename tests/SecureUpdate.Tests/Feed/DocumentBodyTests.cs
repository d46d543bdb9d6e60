using System.IO.Compression;
using SecureUpdate.Errors;
using SecureUpdate.Feed;
using SecureUpdate.Tests.Infrastructure;

namespace SecureUpdate.Tests.Feed;

/// <summary>
/// A gzip-encoded document is capped on its decoded bytes: exactly the cap is accepted, one byte more is
/// too large; a gzip bomb stops right after the cap (the compressed bytes read stay tiny), and compressed
/// data that decodes to nothing stops at the compressed bound. Driven through in-memory responses whose
/// body counts what is read from it.
/// </summary>
public sealed class DocumentBodyTests
{
    private const long Cap = 64 * 1024;

    [Fact]
    public async Task ReadAsync_GzipOfExactlyTheCap_ReturnsTheDecodedBytes()
    {
        var bytes = ReleaseInputs.Bytes(7, (int)Cap);
        using var response = Encoded(new MemoryStream(Gzip(bytes)), "gzip");

        var read = await ReadAsync(response);

        read.Should().Equal(bytes);
    }

    [Fact]
    public async Task ReadAsync_GzipOfOneByteMoreThanTheCap_IsTooLarge()
    {
        using var response = Encoded(new MemoryStream(Gzip(ReleaseInputs.Bytes(7, (int)Cap + 1))), "gzip");

        var read = () => ReadAsync(response);

        (await read.Should().ThrowAsync<VerificationException>()).Which.Code.Should().Be(ErrorCode.TooLarge);
    }

    [Fact]
    public async Task ReadAsync_EndlessGzipBomb_IsTooLargeAfterDecodingJustPastTheCap()
    {
        // 4 MiB of zeros compress to about 4 KiB: the cap's 64 KiB decode from well under 1 KiB of input.
        var source = new RepeatingStream(Gzip(new byte[4 * 1024 * 1024]));
        using var response = Encoded(source, "gzip");

        var read = () => ReadAsync(response);

        (await read.Should().ThrowAsync<VerificationException>()).Which.Code.Should().Be(ErrorCode.TooLarge);
        source.BytesRead.Should().BeLessThan(DocumentBody.CompressedLimit(Cap) / 4, "decoding stops one byte past the cap, long before the compressed bound");
    }

    [Fact]
    public async Task ReadAsync_EndlessGzipThatDecodesToNothing_IsTooLargeAtTheCompressedBound()
    {
        // One empty gzip member (header, an empty final block, CRC and size 0), repeated for ever.
        var source = new RepeatingStream([0x1f, 0x8b, 0x08, 0, 0, 0, 0, 0, 0, 0x03, 0x03, 0x00, 0, 0, 0, 0, 0, 0, 0, 0]);
        using var response = Encoded(source, "gzip");

        var read = () => ReadAsync(response);

        (await read.Should().ThrowAsync<VerificationException>()).Which.Code.Should().Be(ErrorCode.TooLarge);
        source.BytesRead.Should().BeLessThanOrEqualTo(DocumentBody.CompressedLimit(Cap) + 1);
    }

    [Theory]
    [InlineData("br")]
    [InlineData("compress")]
    [InlineData("gzip, gzip")]
    public async Task ReadAsync_AnotherEncoding_IsATransportFailureNamingIt(string encoding)
    {
        using var response = Encoded(new MemoryStream(Gzip([1, 2, 3])), encoding);

        var read = () => ReadAsync(response);

        (await read.Should().ThrowAsync<TransportException>()).Which.Message.Should().Contain($"Content-Encoding '{encoding}'");
    }

    [Fact]
    public async Task ReadAsync_IdentityEncoding_IsReadAsSent()
    {
        using var response = Encoded(new MemoryStream([1, 2, 3]), "identity");

        var read = await ReadAsync(response);

        read.Should().Equal(1, 2, 3);
    }

    private static Task<byte[]> ReadAsync(HttpResponseMessage response) =>
        DocumentBody.ReadAsync(response, "demo/stable/channel.json", Cap, UpdateStage.Channel, TimeSpan.FromSeconds(30), TimeProvider.System, CancellationToken.None);

    private static HttpResponseMessage Encoded(Stream body, string encoding)
    {
        var response = new HttpResponseMessage(System.Net.HttpStatusCode.OK) { Content = new StreamContent(body) };
        foreach (var part in encoding.Split(',', StringSplitOptions.TrimEntries))
        {
            response.Content.Headers.ContentEncoding.Add(part);
        }

        return response;
    }

    private static byte[] Gzip(byte[] bytes)
    {
        using var compressed = new MemoryStream();
        using (var gzip = new GZipStream(compressed, CompressionLevel.SmallestSize, leaveOpen: true))
        {
            gzip.Write(bytes);
        }

        return compressed.ToArray();
    }
}
