namespace SecureUpdate.Platform;

/// <summary>The PKCS#11 numbers this code uses (v2.40, plus the Edwards-curve ones of v3.0).</summary>
internal static class Pkcs11Constants
{
    // Return values (CKR_*).
    public const nuint Ok = 0x0;
    public const nuint AttributeSensitive = 0x11;
    public const nuint AttributeTypeInvalid = 0x12;
    public const nuint AttributeValueInvalid = 0x13;
    public const nuint PinIncorrect = 0xA0;
    public const nuint PinLocked = 0xA4;
    public const nuint UserAlreadyLoggedIn = 0x100;
    public const nuint DomainParamsInvalid = 0x130;
    public const nuint CurveNotSupported = 0x140;
    public const nuint CryptokiAlreadyInitialized = 0x191;

    // Object classes (CKO_*).
    public const nuint PublicKeyClass = 0x2;
    public const nuint PrivateKeyClass = 0x3;

    // Key types (CKK_*).
    public const nuint EcEdwardsKeyType = 0x40;

    // Attributes (CKA_*).
    public const nuint Class = 0x0;
    public const nuint Token = 0x1;
    public const nuint Private = 0x2;
    public const nuint Label = 0x3;
    public const nuint KeyType = 0x100;
    public const nuint Id = 0x102;
    public const nuint Sensitive = 0x103;
    public const nuint Sign = 0x108;
    public const nuint Verify = 0x10A;
    public const nuint Extractable = 0x162;
    public const nuint EcParams = 0x180;
    public const nuint EcPoint = 0x181;

    // Mechanisms (CKM_*).
    public const nuint EcEdwardsKeyPairGen = 0x1055;
    public const nuint EdDsa = 0x1057;

    // Users, session and initialisation flags.
    public const nuint User = 1;
    public const nuint ReadWriteSession = 0x2;
    public const nuint SerialSession = 0x4;
    public const nuint OsLockingOk = 0x2;

    /// <summary><c>CK_UNAVAILABLE_INFORMATION</c>: the length a module reports for a value it will not reveal.</summary>
    public static readonly nuint UnavailableInformation = nuint.MaxValue;

    /// <summary>The <c>CKR_</c> name of a return value, for messages.</summary>
    public static string ReturnValueName(nuint returnValue) => returnValue switch
    {
        0x0 => "CKR_OK",
        0x2 => "CKR_HOST_MEMORY",
        0x3 => "CKR_SLOT_ID_INVALID",
        0x5 => "CKR_GENERAL_ERROR",
        0x6 => "CKR_FUNCTION_FAILED",
        0x7 => "CKR_ARGUMENTS_BAD",
        0x10 => "CKR_ATTRIBUTE_READ_ONLY",
        0x11 => "CKR_ATTRIBUTE_SENSITIVE",
        0x12 => "CKR_ATTRIBUTE_TYPE_INVALID",
        0x13 => "CKR_ATTRIBUTE_VALUE_INVALID",
        0x30 => "CKR_DEVICE_ERROR",
        0x31 => "CKR_DEVICE_MEMORY",
        0x32 => "CKR_DEVICE_REMOVED",
        0x54 => "CKR_FUNCTION_NOT_SUPPORTED",
        0x60 => "CKR_KEY_HANDLE_INVALID",
        0x63 => "CKR_KEY_TYPE_INCONSISTENT",
        0x68 => "CKR_KEY_FUNCTION_NOT_PERMITTED",
        0x70 => "CKR_MECHANISM_INVALID",
        0x71 => "CKR_MECHANISM_PARAM_INVALID",
        0x82 => "CKR_OBJECT_HANDLE_INVALID",
        0x90 => "CKR_OPERATION_ACTIVE",
        0xA0 => "CKR_PIN_INCORRECT",
        0xA1 => "CKR_PIN_INVALID",
        0xA2 => "CKR_PIN_LEN_RANGE",
        0xA3 => "CKR_PIN_EXPIRED",
        0xA4 => "CKR_PIN_LOCKED",
        0xB0 => "CKR_SESSION_CLOSED",
        0xB3 => "CKR_SESSION_HANDLE_INVALID",
        0xB5 => "CKR_SESSION_READ_ONLY",
        0xD0 => "CKR_TEMPLATE_INCOMPLETE",
        0xD1 => "CKR_TEMPLATE_INCONSISTENT",
        0xE0 => "CKR_TOKEN_NOT_PRESENT",
        0xE1 => "CKR_TOKEN_NOT_RECOGNIZED",
        0xE2 => "CKR_TOKEN_WRITE_PROTECTED",
        0x100 => "CKR_USER_ALREADY_LOGGED_IN",
        0x101 => "CKR_USER_NOT_LOGGED_IN",
        0x102 => "CKR_USER_PIN_NOT_INITIALIZED",
        0x130 => "CKR_DOMAIN_PARAMS_INVALID",
        0x140 => "CKR_CURVE_NOT_SUPPORTED",
        0x150 => "CKR_BUFFER_TOO_SMALL",
        0x190 => "CKR_CRYPTOKI_NOT_INITIALIZED",
        0x191 => "CKR_CRYPTOKI_ALREADY_INITIALIZED",
        _ => $"CKR 0x{(ulong)returnValue:x}",
    };
}
