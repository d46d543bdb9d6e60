namespace SecureUpdate.Platform;

/// <summary>
/// A PKCS#11 call that failed, or a module that could not be loaded. Internal to the library: the
/// trust layer turns it into a <see cref="Errors.ConfigurationException"/> that names the token and key.
/// </summary>
internal sealed class Pkcs11Exception : Exception
{
    /// <summary>A function that returned <paramref name="returnValue"/>.</summary>
    public Pkcs11Exception(string function, nuint returnValue)
        : base($"{function} returned {Pkcs11Constants.ReturnValueName(returnValue)}")
    {
        ReturnValue = returnValue;
    }

    /// <summary>The module could not be loaded, or is not a PKCS#11 module.</summary>
    public Pkcs11Exception(string message, Exception? innerException)
        : base(message, innerException)
    {
    }

    /// <summary>Its <c>CKR_</c> value; zero when the module could not be loaded.</summary>
    public nuint ReturnValue { get; }
}
