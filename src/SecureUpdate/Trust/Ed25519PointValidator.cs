using System.Buffers.Binary;
using System.Collections.Concurrent;
using System.Globalization;
using System.Numerics;

namespace SecureUpdate.Trust;

/// <summary>Checks that 32 bytes encode a usable Ed25519 public key (RFC 8032 section 5.1.3).</summary>
/// <remarks>
/// Runs once per key and process (a key found valid is remembered), so it favours plain
/// <see cref="BigInteger"/> arithmetic that is easy to audit over speed; keys are public, so
/// variable time is fine. A key of small order would let anyone forge signatures that verify
/// under it for any message, which is why it is refused before a key is ever trusted.
/// </remarks>
internal static class Ed25519PointValidator
{
    // Keys already found valid in this process: the same few keys check every document of a trust walk, the
    // channel and each manifest, and each check costs a modular exponentiation (about a millisecond here). Keys
    // are public, so remembering them is safe; capped, so a stream of distinct keys cannot grow it without bound.
    private const int MaxRemembered = 256;
    private static readonly ConcurrentDictionary<(ulong, ulong, ulong, ulong), bool> s_valid = new();

    // RFC 8032 section 5.1: p = 2^255 - 19, a = -1.
    private static readonly BigInteger s_p = (BigInteger.One << 255) - 19;

    /// <summary>
    /// d = -121665/121666 mod p (RFC 8032 section 5.1), as the RFC prints it: written out rather than computed
    /// at start-up, which took a modular exponentiation in every process (a test derives it again).
    /// </summary>
    internal static readonly BigInteger D = BigInteger.Parse("37095705934669439343138083508754565189542113879843219016388785533085940283555", CultureInfo.InvariantCulture);

    /// <summary>sqrt(-1) = 2^((p-1)/4) mod p (RFC 8032 section 5.1.3 step 3), written out for the same reason.</summary>
    internal static readonly BigInteger SqrtMinusOne = BigInteger.Parse("19681161376707505956807079304988542015446066515923890162744021073123829784752", CultureInfo.InvariantCulture);

    // Exponent of the candidate root in section 5.1.3 step 2: (p-5)/8.
    private static readonly BigInteger s_rootExponent = (s_p - 5) / 8;

    /// <summary>The field prime p = 2^255 - 19.</summary>
    internal static BigInteger P => s_p;

    /// <summary>True when the encoding is canonical, decodes to a curve point, and the point is not of small order.</summary>
    /// <remarks>
    /// Refused: any length but 32 bytes; y &gt;= p (non-canonical encodings, among them the
    /// aliases of the small-order points); a y for which no x exists; x = 0 with the sign bit
    /// set; and the eight points of order 1, 2, 4 or 8 (8·P is the identity). A point of large
    /// order with a small-order component (8·P not the identity) is accepted, as the contract
    /// asks; honest key generation never produces one.
    /// </remarks>
    public static bool IsValidPublicKey(ReadOnlySpan<byte> publicKey)
    {
        if (publicKey.Length != Ed25519.PublicKeySize)
        {
            return false;
        }

        var remembered = (
            BinaryPrimitives.ReadUInt64LittleEndian(publicKey),
            BinaryPrimitives.ReadUInt64LittleEndian(publicKey[8..]),
            BinaryPrimitives.ReadUInt64LittleEndian(publicKey[16..]),
            BinaryPrimitives.ReadUInt64LittleEndian(publicKey[24..]));
        if (s_valid.ContainsKey(remembered))
        {
            return true;
        }

        if (!TryDecode(publicKey, out BigInteger x, out BigInteger y) || HasSmallOrder(x, y))
        {
            return false;
        }

        if (s_valid.Count < MaxRemembered)
        {
            s_valid.TryAdd(remembered, true);
        }

        return true;
    }

    // RFC 8032 section 5.1.3, "Decoding".
    private static bool TryDecode(ReadOnlySpan<byte> encoded, out BigInteger x, out BigInteger y)
    {
        x = BigInteger.Zero;

        // Step 1: little-endian y with bit 255 cleared; bit 255 is the sign (low bit) of x.
        Span<byte> yBytes = stackalloc byte[Ed25519.PublicKeySize];
        encoded.CopyTo(yBytes);
        int sign = yBytes[31] >> 7;
        yBytes[31] &= 0x7F;
        y = new BigInteger(yBytes, isUnsigned: true, isBigEndian: false);

        // "If the resulting value is >= p, decoding fails." This is what refuses the
        // non-canonical encodings y = p .. p + 18 (y = p and p + 1 alias small-order points).
        if (y >= s_p)
        {
            return false;
        }

        // Step 2: x^2 = u/v with u = y^2 - 1, v = d*y^2 + 1; candidate x = u*v^3 * (u*v^7)^((p-5)/8).
        BigInteger ySquared = Mod(y * y);
        BigInteger u = Mod(ySquared - 1);
        BigInteger v = Mod((D * ySquared) + 1);
        BigInteger v3 = Mod(v * v * v);
        BigInteger v7 = Mod(v3 * v3 * v);
        BigInteger candidate = Mod(u * v3 * BigInteger.ModPow(Mod(u * v7), s_rootExponent, s_p));

        // Step 3: if v*x^2 = u, x is a root; if v*x^2 = -u, x*sqrt(-1) is; otherwise there is
        // no square root and the encoding is not a point on the curve.
        BigInteger vx2 = Mod(v * candidate * candidate);
        if (vx2 == u)
        {
            x = candidate;
        }
        else if (vx2 == Mod(-u))
        {
            x = Mod(candidate * SqrtMinusOne);
        }
        else
        {
            return false;
        }

        // Step 4: "If x = 0, and x_0 = 1, decoding fails." Otherwise pick the root whose low bit is the sign.
        if (x.IsZero && sign == 1)
        {
            return false;
        }

        if ((int)(x & BigInteger.One) != sign)
        {
            x = s_p - x;
        }

        return true;
    }

    // Small order means 8*P is the identity (RFC 8032 section 5.1: the cofactor is 8): the eight
    // torsion points, of order 1, 2, 4 and 8. Three doublings in extended homogeneous coordinates
    // (section 5.1.4), which are complete for a = -1 and non-square d, so no special cases.
    private static bool HasSmallOrder(BigInteger x, BigInteger y)
    {
        BigInteger px = x;
        BigInteger py = y;
        BigInteger pz = BigInteger.One;
        for (int i = 0; i < 3; i++)
        {
            Double(ref px, ref py, ref pz);
        }

        // The identity is (0, 1), i.e. X = 0 and Y = Z in projective form.
        return px.IsZero && py == pz;
    }

    // RFC 8032 section 5.1.4 doubling (T is not needed for doubling, so it is not kept):
    // A = X1^2, B = Y1^2, C = 2*Z1^2, H = A + B, E = H - (X1 + Y1)^2, G = A - B, F = C + G,
    // X3 = E*F, Y3 = G*H, Z3 = F*G.
    private static void Double(ref BigInteger x, ref BigInteger y, ref BigInteger z)
    {
        BigInteger a = Mod(x * x);
        BigInteger b = Mod(y * y);
        BigInteger c = Mod(2 * z * z);
        BigInteger h = Mod(a + b);
        BigInteger sum = x + y;
        BigInteger e = Mod(h - (sum * sum));
        BigInteger g = Mod(a - b);
        BigInteger f = Mod(c + g);
        x = Mod(e * f);
        y = Mod(g * h);
        z = Mod(f * g);
    }

    private static BigInteger Mod(BigInteger value)
    {
        BigInteger r = BigInteger.Remainder(value, s_p);
        return r.Sign < 0 ? r + s_p : r;
    }
}
