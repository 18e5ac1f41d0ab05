using System.Buffers.Binary;
using System.IO.Compression;
using System.IO.Hashing;

namespace FfmpegFunctions.Tests.Support;

/// <summary>A valid PNG of a huge black canvas in a few tens of kilobytes (1-bit grayscale rows of zeros compress
/// about a thousandfold): what a hostile upload looks like, written at test time in milliseconds.</summary>
public static class DecompressionBomb
{
    public static string WritePng(string path, int width, int height)
    {
        using var file = File.Create(path);
        file.Write([0x89, (byte)'P', (byte)'N', (byte)'G', 0x0D, 0x0A, 0x1A, 0x0A]);
        var header = new byte[13];
        BinaryPrimitives.WriteInt32BigEndian(header, width);
        BinaryPrimitives.WriteInt32BigEndian(header.AsSpan(4), height);
        header[8] = 1; // bit depth 1, colour type 0 (grayscale), deflate, no filter, no interlace
        Chunk(file, "IHDR", header);
        using (var pixels = new MemoryStream())
        {
            using (var deflate = new ZLibStream(pixels, CompressionLevel.SmallestSize, leaveOpen: true))
            {
                var row = new byte[1 + (width + 7) / 8]; // filter byte 0, then the row's bits
                for (var y = 0; y < height; y++) deflate.Write(row);
            }
            Chunk(file, "IDAT", pixels.ToArray());
        }
        Chunk(file, "IEND", []);
        return path;
    }

    private static void Chunk(Stream output, string type, byte[] data)
    {
        Span<byte> number = stackalloc byte[4];
        BinaryPrimitives.WriteInt32BigEndian(number, data.Length);
        output.Write(number);
        var typeAndData = new byte[4 + data.Length];
        System.Text.Encoding.ASCII.GetBytes(type, typeAndData);
        data.CopyTo(typeAndData, 4);
        output.Write(typeAndData);
        BinaryPrimitives.WriteUInt32BigEndian(number, Crc32.HashToUInt32(typeAndData));
        output.Write(number);
    }
}
