using System.Numerics;
using NSec.Cryptography;
using SecureUpdate.Trust;
using Ed25519 = SecureUpdate.Trust.Ed25519;

namespace SecureUpdate.Tests.Trust;

public class Ed25519PointValidatorTests
{
    private static readonly BigInteger s_p = (BigInteger.One << 255) - 19;

    // RFC 8032 section 7.1: TEST 1, TEST 2, TEST 3, TEST 1024, TEST SHA(abc).
    [Theory]
    [InlineData("d75a980182b10ab7d54bfed3c964073a0ee172f3daa62325af021a68f707511a")]
    [InlineData("3d4017c3e843895a92b70aa74d1b7ebc9c982ccf2ec4968cc0cd55f12af4660c")]
    [InlineData("fc51cd8e6218a1a38da47ed00230f0580816ed13ba3303ac5deb911548908025")]
    [InlineData("278117fc144c72340f67d0f2316e8386ceffbf2b2428c9c51fef7c597f1d426e")]
    [InlineData("ec172b93ad5e563bf4932c70e1245034c35467ef2efd4d64ebf819683467e2bf")]
    public void IsValidPublicKey_Rfc8032TestVectorKey_ReturnsTrue(string hex)
    {
        Ed25519PointValidator.IsValidPublicKey(Convert.FromHexString(hex)).Should().BeTrue();
    }

    [Fact]
    public void Constants_WrittenOut_AreTheOnesRfc8032Defines()
    {
        Ed25519PointValidator.P.Should().Be(s_p);
        Ed25519PointValidator.D.Should().Be(((-121665 * BigInteger.ModPow(121666, s_p - 2, s_p)) % s_p) + s_p, "d = -121665/121666 mod p");
        Ed25519PointValidator.SqrtMinusOne.Should().Be(BigInteger.ModPow(2, (s_p - 1) / 4, s_p));
        BigInteger.ModPow(Ed25519PointValidator.SqrtMinusOne, 2, s_p).Should().Be(s_p - 1, "its square is -1");
    }

    [Fact]
    public void IsValidPublicKey_SameKeysAgain_GiveTheSameAnswersOnceRemembered()
    {
        // A valid key is remembered after its first check; an invalid one is checked again every time.
        var valid = Key.Create(SignatureAlgorithm.Ed25519).PublicKey.Export(KeyBlobFormat.RawPublicKey);
        var smallOrder = Convert.FromHexString("0100000000000000000000000000000000000000000000000000000000000000");
        var neighbour = (byte[])valid.Clone();
        neighbour[0] ^= 1;
        var neighbourValid = Ed25519PointValidator.IsValidPublicKey(neighbour);

        for (var round = 0; round < 3; round++)
        {
            Ed25519PointValidator.IsValidPublicKey(valid).Should().BeTrue();
            Ed25519PointValidator.IsValidPublicKey(smallOrder).Should().BeFalse("the identity has order 1");
            Ed25519PointValidator.IsValidPublicKey(neighbour).Should().Be(neighbourValid, "a key one bit away is judged on its own");
        }
    }

    [Fact]
    public void IsValidPublicKey_BasePoint_ReturnsTrue()
    {
        // RFC 8032 section 5.1: B = (x, 4/5) with x positive (even).
        byte[] basePoint = Convert.FromHexString("5866666666666666666666666666666666666666666666666666666666666666");

        Ed25519PointValidator.IsValidPublicKey(basePoint).Should().BeTrue();
    }

    [Fact]
    public void IsValidPublicKey_EveryWycheproofKey_ReturnsTrue()
    {
        string[] keys = WycheproofVectors.All.Select(v => Convert.ToHexString(v.PublicKey)).Distinct().ToArray();
        keys.Should().HaveCountGreaterThan(40);

        keys.Where(k => !Ed25519PointValidator.IsValidPublicKey(Convert.FromHexString(k))).Should().BeEmpty();
    }

    [Fact]
    public void IsValidPublicKey_FreshNSecKeys_ReturnTrueAndVerifyTheirSignatures()
    {
        byte[] message = "secure-update/v1 manifest\n"u8.ToArray();
        for (int i = 0; i < 64; i++)
        {
            using Key key = Key.Create(SignatureAlgorithm.Ed25519, new KeyCreationParameters { ExportPolicy = KeyExportPolicies.AllowPlaintextExport });
            byte[] publicKey = key.PublicKey.Export(KeyBlobFormat.RawPublicKey);
            byte[] signature = SignatureAlgorithm.Ed25519.Sign(key, message);

            Ed25519PointValidator.IsValidPublicKey(publicKey).Should().BeTrue("{0} is a freshly generated key", Convert.ToHexString(publicKey));
            Ed25519.Verify(publicKey, message, signature).Should().BeTrue();
            Ed25519.Verify(publicKey, "secure-update/v1 channel\n"u8, signature).Should().BeFalse();
        }
    }

    [Fact]
    public void IsValidPublicKey_NegatedValidKey_ReturnsTrue()
    {
        // Flipping the sign bit of a canonical key with x != 0 encodes -A, also a valid point.
        byte[] key = Convert.FromHexString("d75a980182b10ab7d54bfed3c964073a0ee172f3daa62325af021a68f707511a");
        key[31] ^= 0x80;

        Ed25519PointValidator.IsValidPublicKey(key).Should().BeTrue();
    }

    // The eight points of order 1, 2, 4 and 8, canonically encoded (as in libsodium's blocklist
    // and "Taming the many EdDSAs", Chalkias et al. 2020).
    [Theory]
    [InlineData("0100000000000000000000000000000000000000000000000000000000000000", "identity, order 1")]
    [InlineData("ecffffffffffffffffffffffffffffffffffffffffffffffffffffffffffff7f", "(0, -1), order 2")]
    [InlineData("0000000000000000000000000000000000000000000000000000000000000000", "(sqrt(-1), 0), order 4")]
    [InlineData("0000000000000000000000000000000000000000000000000000000000000080", "(-sqrt(-1), 0), order 4")]
    [InlineData("26e8958fc2b227b045c3f489f2ef98f0d5dfac05d3c63339b13802886d53fc05", "order 8")]
    [InlineData("26e8958fc2b227b045c3f489f2ef98f0d5dfac05d3c63339b13802886d53fc85", "order 8")]
    [InlineData("c7176a703d4dd84fba3c0b760d10670f2a2053fa2c39ccc64ec7fd7792ac037a", "order 8")]
    [InlineData("c7176a703d4dd84fba3c0b760d10670f2a2053fa2c39ccc64ec7fd7792ac03fa", "order 8")]
    public void IsValidPublicKey_SmallOrderPoint_ReturnsFalse(string hex, string point)
    {
        Ed25519PointValidator.IsValidPublicKey(Convert.FromHexString(hex)).Should().BeFalse("{0} is of small order", point);
    }

    // Other encodings of small-order points: y = p (= 0), y = p + 1 (= 1), and x = 0 with the sign bit set.
    [Theory]
    [InlineData("edffffffffffffffffffffffffffffffffffffffffffffffffffffffffffff7f", "y = p, aliases order 4")]
    [InlineData("edffffffffffffffffffffffffffffffffffffffffffffffffffffffffffffff", "y = p with sign, aliases order 4")]
    [InlineData("eeffffffffffffffffffffffffffffffffffffffffffffffffffffffffffff7f", "y = p + 1, aliases the identity")]
    [InlineData("eeffffffffffffffffffffffffffffffffffffffffffffffffffffffffffffff", "y = p + 1 with sign, aliases the identity")]
    [InlineData("0100000000000000000000000000000000000000000000000000000000000080", "identity with sign bit (x = 0)")]
    [InlineData("ecffffffffffffffffffffffffffffffffffffffffffffffffffffffffffffff", "(0, -1) with sign bit (x = 0)")]
    public void IsValidPublicKey_NonCanonicalSmallOrderEncoding_ReturnsFalse(string hex, string description)
    {
        Ed25519PointValidator.IsValidPublicKey(Convert.FromHexString(hex)).Should().BeFalse(description);
    }

    [Fact]
    public void IsValidPublicKey_EveryYAtOrAbovePrime_ReturnsFalse()
    {
        // y = p .. p + 18 are the only 255-bit values >= p; each with both sign bits.
        for (int k = 0; k <= 18; k++)
        {
            foreach (bool sign in new[] { false, true })
            {
                byte[] key = Encode(s_p + k, sign);

                Ed25519PointValidator.IsValidPublicKey(key).Should().BeFalse("y = p + {0} is not canonical", k);
            }
        }
    }

    [Fact]
    public void IsValidPublicKey_NonCanonicalAliasOfAcceptedPoint_ReturnsFalse()
    {
        // y = 3 decodes to a curve point that is not of small order; y = p + 3 is the same point
        // encoded non-canonically and must be refused for that reason alone.
        Ed25519PointValidator.IsValidPublicKey(Encode(3, sign: false)).Should().BeTrue();
        Ed25519PointValidator.IsValidPublicKey(Encode(s_p + 3, sign: false)).Should().BeFalse();
    }

    [Fact]
    public void IsValidPublicKey_AllOnes_ReturnsFalse()
    {
        byte[] key = Enumerable.Repeat((byte)0xFF, 32).ToArray();

        Ed25519PointValidator.IsValidPublicKey(key).Should().BeFalse();
    }

    // (y^2 - 1)/(d*y^2 + 1) is not a square for these y: no x exists (RFC 8032 section 5.1.3 step 3).
    [Theory]
    [InlineData(2)]
    [InlineData(7)]
    [InlineData(8)]
    [InlineData(11)]
    [InlineData(17)]
    public void IsValidPublicKey_YWithoutSquareRoot_ReturnsFalse(int y)
    {
        Ed25519PointValidator.IsValidPublicKey(Encode(y, sign: false)).Should().BeFalse();
        Ed25519PointValidator.IsValidPublicKey(Encode(y, sign: true)).Should().BeFalse();
    }

    [Fact]
    public void IsValidPublicKey_NeighboursOfValidKey_SomeAreRefused()
    {
        // Guard against a validator that accepts everything canonical: about half of all y
        // values have no x, so among 64 neighbours of a real key some must be refused.
        BigInteger y = new(Convert.FromHexString("d75a980182b10ab7d54bfed3c964073a0ee172f3daa62325af021a68f707511a"), isUnsigned: true);
        int refused = Enumerable.Range(1, 64).Count(i => !Ed25519PointValidator.IsValidPublicKey(Encode(y + i, sign: false)));

        refused.Should().BeInRange(10, 54);
    }

    [Theory]
    [InlineData(0)]
    [InlineData(1)]
    [InlineData(31)]
    [InlineData(33)]
    [InlineData(64)]
    public void IsValidPublicKey_WrongLength_ReturnsFalse(int length)
    {
        byte[] key = new byte[length];
        byte[] valid = Convert.FromHexString("d75a980182b10ab7d54bfed3c964073a0ee172f3daa62325af021a68f707511a");
        valid.AsSpan(0, Math.Min(length, 32)).CopyTo(key);

        Ed25519PointValidator.IsValidPublicKey(key).Should().BeFalse();
    }

    [Fact]
    public void IsValidPublicKey_MixedOrderPoint_IsAcceptedByContract()
    {
        // B + T8 (base point plus a point of order 8): 8·P is not the identity, so it is not of
        // small order and the contract accepts it. Honest key generation never yields one.
        byte[] mixed = Convert.FromHexString("13661d745ad63221ca5da0456fa618713511dc60668aa464e55b09a20ff7fc1d");

        Ed25519PointValidator.IsValidPublicKey(mixed).Should().BeTrue();
    }

    [Fact]
    public void Verify_IdentityKeyWithTrivialSignature_ReturnsFalse()
    {
        // With A = identity, R = identity and S = 0, the equation [S]B = R + [k]A holds for every
        // message: a naive verifier would accept this "signature" for anything.
        byte[] identity = Convert.FromHexString("0100000000000000000000000000000000000000000000000000000000000000");
        byte[] signature = new byte[64];
        identity.CopyTo(signature, 0);

        Ed25519.Verify(identity, "any message"u8, signature).Should().BeFalse();
    }

    private static byte[] Encode(BigInteger y, bool sign)
    {
        byte[] bytes = new byte[32];
        y.TryWriteBytes(bytes, out int written, isUnsigned: true).Should().BeTrue();
        written.Should().BeLessThanOrEqualTo(32);
        if (sign)
        {
            bytes[31] |= 0x80;
        }

        return bytes;
    }
}
