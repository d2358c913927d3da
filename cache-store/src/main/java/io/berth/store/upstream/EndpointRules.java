package io.berth.store.upstream;

import io.berth.store.error.ErrorCode;
import io.berth.store.error.RegistryException;

import java.io.ByteArrayInputStream;
import java.nio.charset.StandardCharsets;
import java.security.cert.CertificateException;
import java.security.cert.CertificateFactory;
import java.util.regex.Pattern;

/** What a registry endpoint's name, description, CA certificates and credential may be; {@code INVALID_INPUT} says what is wrong. */
final class EndpointRules {
    static final int MAX_NAME = 255;
    static final int MAX_DESCRIPTION = 1024;
    static final int MAX_CA_PEM = 64 * 1024;
    static final int MAX_SECRET = 8 * 1024;
    private static final Pattern NAME = Pattern.compile("[A-Za-z0-9][A-Za-z0-9._-]*");
    private static final Pattern PRINTABLE = Pattern.compile("\\P{Cntrl}+");
    private static final Pattern TOKEN = Pattern.compile("[\\x21-\\x7e]+");

    private EndpointRules() {
    }

    static void checkName(String name) {
        if (name == null || name.isEmpty()) {
            throw invalid("the field 'name' is required: a name for the registry endpoint, e.g. docker-hub");
        }
        if (name.length() > MAX_NAME || !NAME.matcher(name).matches()) {
            throw invalid("'" + printable(name) + "' is not a registry endpoint name: use up to " + MAX_NAME
                    + " letters, digits, '.', '_' and '-', starting with a letter or digit");
        }
    }

    static void checkDescription(String description) {
        if (description != null && description.length() > MAX_DESCRIPTION) {
            throw invalid("the description is longer than " + MAX_DESCRIPTION + " characters");
        }
    }

    /** Null or one or more X.509 certificates in PEM. */
    static void checkCaPem(String caPem) {
        if (caPem == null) {
            return;
        }
        if (caPem.length() > MAX_CA_PEM) {
            throw invalid("caPem is longer than " + MAX_CA_PEM + " characters");
        }
        if (!caPem.contains("-----BEGIN CERTIFICATE-----")) {
            throw invalid("caPem holds no certificate: give the CA's certificates in PEM (-----BEGIN CERTIFICATE-----…)");
        }
        try {
            CertificateFactory.getInstance("X.509").generateCertificates(
                    new ByteArrayInputStream(caPem.getBytes(StandardCharsets.US_ASCII)));
        } catch (CertificateException e) {
            throw invalid("caPem holds a certificate that cannot be read: give the CA's certificates in PEM");
        }
    }

    static void checkCredential(Credential credential) {
        switch (credential) {
            case null -> {
            }
            case Credential.Basic basic -> {
                if (basic.username() == null || basic.username().isBlank()) {
                    throw invalid("the credential's 'username' is required (or give a 'token' instead)");
                }
                if (basic.username().length() > MAX_NAME || !PRINTABLE.matcher(basic.username()).matches()
                        || basic.username().contains(":")) {
                    throw invalid("the credential's username must be at most " + MAX_NAME + " printable characters,"
                            + " without ':'");
                }
                if (basic.password() == null || basic.password().isEmpty()) {
                    throw invalid("the credential's 'password' is required with a username");
                }
                if (basic.password().length() > MAX_SECRET || !PRINTABLE.matcher(basic.password()).matches()) {
                    throw invalid("the credential's password must be at most " + MAX_SECRET + " printable characters");
                }
            }
            case Credential.Token token -> {
                if (token.token() == null || token.token().isEmpty()) {
                    throw invalid("the credential's 'token' is empty");
                }
                if (token.token().length() > MAX_SECRET || !TOKEN.matcher(token.token()).matches()) {
                    throw invalid("the credential's token must be at most " + MAX_SECRET + " printable characters"
                            + " without spaces");
                }
            }
        }
    }

    private static String printable(String text) {
        String cut = text.length() > 64 ? text.substring(0, 64) + "…" : text;
        return cut.replaceAll("\\p{Cntrl}", "?");
    }

    private static RegistryException invalid(String message) {
        return new RegistryException(ErrorCode.INVALID_INPUT, message);
    }
}
