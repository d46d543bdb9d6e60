using System.Numerics;

namespace SecureUpdate.Trust;

/// <summary>Checks that 32 bytes encode a usable Ed25519 public key (RFC 8032 section 5.1.3).</summary>
/// <remarks>
/// Runs once per key when a key or trust file is loaded, so it favours plain
/// <see cref="BigInteger"/> arithmetic that is easy to audit over speed; keys are public, so
/// variable time is fine. A key of small order would let anyone forge signatures that verify
/// under it for any message, which is why it is refused before a key is ever trusted.
/// </remarks>
internal static class Ed25519PointValidator
{
    // RFC 8032 section 5.1: p = 2^255 - 19, d = -121665/121666 mod p, a = -1.
    private static readonly BigInteger s_p = (BigInteger.One << 255) - 19;
    private static readonly BigInteger s_d = Mod(-121665 * BigInteger.ModPow(121666, s_p - 2, s_p));

    // RFC 8032 section 5.1.3 step 3: sqrt(-1) = 2^((p-1)/4) mod p.
    private static readonly BigInteger s_sqrtMinusOne = BigInteger.ModPow(2, (s_p - 1) / 4, s_p);

    // Exponent of the candidate root in section 5.1.3 step 2: (p-5)/8.
    private static readonly BigInteger s_rootExponent = (s_p - 5) / 8;

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

        if (!TryDecode(publicKey, out BigInteger x, out BigInteger y))
        {
            return false;
        }

        return !HasSmallOrder(x, y);
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
        BigInteger v = Mod((s_d * ySquared) + 1);
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
            x = Mod(candidate * s_sqrtMinusOne);
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
