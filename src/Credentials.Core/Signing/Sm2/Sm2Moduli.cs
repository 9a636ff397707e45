using System.Runtime.CompilerServices;

namespace Credentials.Core.Signing.Sm2;

/// <summary>The field prime p = 2^256 - 2^224 - 2^96 + 2^64 - 1 of sm2p256v1 (GB/T 32918.5).</summary>
internal readonly struct Sm2FieldPrime : IModulus256
{
    public static UInt256 Value
    {
        [MethodImpl(MethodImplOptions.AggressiveInlining)]
        get => new(0xFFFFFFFFFFFFFFFF, 0xFFFFFFFF00000000, 0xFFFFFFFFFFFFFFFF, 0xFFFFFFFEFFFFFFFF);
    }

    // p ≡ -1 (mod 2^64), so -p^-1 ≡ 1.
    public static ulong NegativeInverse => 1;

    public static UInt256 RSquared
    {
        [MethodImpl(MethodImplOptions.AggressiveInlining)]
        get => new(0x0000000200000003, 0x00000002FFFFFFFF, 0x0000000100000001, 0x0000000400000002);
    }
}

/// <summary>The group order n of sm2p256v1, the modulus of the scalars d, k, r and s.</summary>
internal readonly struct Sm2GroupOrder : IModulus256
{
    public static UInt256 Value
    {
        [MethodImpl(MethodImplOptions.AggressiveInlining)]
        get => new(0x53BBF40939D54123, 0x7203DF6B21C6052B, 0xFFFFFFFFFFFFFFFF, 0xFFFFFFFEFFFFFFFF);
    }

    public static ulong NegativeInverse => 0x327F9E8872350975;

    public static UInt256 RSquared
    {
        [MethodImpl(MethodImplOptions.AggressiveInlining)]
        get => new(0x901192AF7C114F20, 0x3464504ADE6FA2FA, 0x620FC84C3AFFE0D4, 0x1EB5E412A22B3D3B);
    }
}
