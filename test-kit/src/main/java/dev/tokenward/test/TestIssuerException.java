package dev.tokenward.test;

/**
 * An OAuth 2.0 error answer of the {@link TestIssuer}: the HTTP status and the {@code error} /
 * {@code error_description} pair that the token endpoint would send. The convenience methods of
 * {@link TestIssuer} (for example {@link TestIssuer#accessToken(String, String, String...)}) throw it
 * for the same requests the HTTP endpoint would refuse.
 */
public final class TestIssuerException extends RuntimeException {

    private static final long serialVersionUID = 1L;

    private final int status;
    private final String error;
    private final String description;

    /** An error answer with this HTTP status, OAuth 2.0 {@code error} code and {@code error_description}. */
    public TestIssuerException(int status, String error, String description) {
        super(error + ": " + description);
        this.status = status;
        this.error = error;
        this.description = description;
    }

    /** The HTTP status the endpoint answers with, e.g. 403. */
    public int status() {
        return status;
    }

    /** The OAuth 2.0 error code, e.g. {@code access_denied}. */
    public String error() {
        return error;
    }

    /** The human-readable {@code error_description}. */
    public String description() {
        return description;
    }
}
