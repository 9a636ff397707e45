namespace Credentials.Core.Tests.Ledger;

/// <summary>Published vectors of golang.org/x/mod/sumdb/note (note_test.go): test keys, not secrets.</summary>
internal static class NoteVectors
{
    public const string PeterVerifierKey = "PeterNeumann+c74f20a3+ARpc2QcUPDhMQegwxbzhKqiBfsVkmqq/LDE4izWy10TW";
    public const string PeterSignerKey = "PRIVATE+KEY+PeterNeumann+c74f20a3+AYEKFALVFGyNhPJEMzD1QIDr+Y7hfZx09iUvxdXHKDFz";
    public const string EnochVerifierKey = "EnochRoot+af0cfe78+ATtqJ7zOtqQtYqOo0CpvDXNlMhV3HeJDpjrASKGLWdop";

    public const string Text = "If you think cryptography is the answer to your problem,\n"
        + "then you don't know what your problem is.\n";

    public const string PeterSignatureBase64 = "x08go/ZJkuBS9UG/SffcvIAQxVBtiFupLLr8pAcElZInNIuGUgYN1FFYC2pZSNXgKvqfqdngotpRZb6KE6RyyBwJnAM=";
    public const string EnochSignatureBase64 = "rwz+eBzmZa0SO3NbfRGzPCpDckykFXSdeX+MNtCOXm2/5n2tiOHp+vAF1aGrQ5ovTG01oOTGwnWLox33WWd1RvMc+QQ=";

    public const string PeterSignatureLine = "— PeterNeumann " + PeterSignatureBase64 + "\n";
    public const string EnochSignatureLine = "— EnochRoot " + EnochSignatureBase64 + "\n";
}
