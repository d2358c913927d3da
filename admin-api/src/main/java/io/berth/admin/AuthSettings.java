package io.berth.admin;

import com.fasterxml.jackson.annotation.JsonIgnore;
import com.fasterxml.jackson.annotation.JsonProperty;
import io.berth.gateway.auth.AuthMode;
import io.berth.gateway.auth.Grants;
import io.dropwizard.util.Duration;
import io.dropwizard.validation.ValidationMethod;
import jakarta.validation.Valid;
import jakarta.validation.constraints.Max;
import jakarta.validation.constraints.Min;
import jakarta.validation.constraints.NotNull;
import jakarta.validation.constraints.Pattern;

/** The {@code auth:} section: sign-in (database or directory), the token service and who may create projects. */
public class AuthSettings {
    /**
     * Whether the registry and the admin API ask who is calling. Off, anyone who reaches the
     * registry port may push, pull and delete anything, and anyone who reaches the admin API may
     * read, create, change and delete projects (accounts, members and robots are not served then):
     * only for a registry on a trusted network, or to measure the cost of auth.
     */
    @JsonProperty
    public boolean enabled = true;

    /**
     * The registry's URL as clients reach it (behind a proxy or load balancer), for the token
     * endpoint named in challenges; empty to derive it from each request's {@code Host}.
     */
    @Pattern(regexp = "|https?://[^\\s/]+(/[^\\s]*)?", message = "must be empty or an http(s) URL")
    @JsonProperty
    public String externalUrl = "";

    /** The service name tokens are issued for (their audience). */
    @NotNull
    @Pattern(regexp = "[^\\s\"]+", message = "must be a name without spaces or quotes")
    @JsonProperty
    public String service = "berth";

    /** The issuer named in (and required of) every token. */
    @NotNull
    @Pattern(regexp = "[^\\s\"]+", message = "must be a name without spaces or quotes")
    @JsonProperty
    public String issuer = "berth-token-issuer";

    /** How long a registry token is valid. */
    @NotNull
    @JsonProperty
    public Duration tokenLifetime = Duration.minutes(30);

    /** The token signing key (PEM), created on first start; empty for {@code <storage root>/token-signing-key.pem}. */
    @JsonProperty
    public String signingKeyFile = "";

    /** Who may create projects (by the admin API or by pushing into a new one): everyone or adminOnly. */
    @NotNull
    @JsonProperty
    public Grants.ProjectCreation projectCreation = Grants.ProjectCreation.EVERYONE;

    /**
     * Whether anyone, signed in or not, may create an account for themselves through the admin API
     * ({@code POST /api/v1/users}); never a system admin's.
     */
    @JsonProperty
    public boolean selfRegistration = false;

    /**
     * Whether {@code /admin/metrics} on the admin API's port answers anyone (for scrapers on a
     * trusted network) or only system admins; the loopback ops port always serves them.
     */
    @JsonProperty
    public boolean openMetrics = true;

    /** bcrypt's cost factor for stored passwords (each step doubles the work of a sign-in). */
    @Min(4)
    @Max(16)
    @JsonProperty
    public int passwordCost = 12;

    /**
     * Where users' passwords are checked: {@code database} or {@code ldap} (the directory of
     * {@link #ldap}). The local {@code admin} and robots sign in with the database in both.
     */
    @NotNull
    @JsonProperty
    public AuthMode mode = AuthMode.DATABASE;

    /** The directory, for {@code mode: ldap}. */
    @Valid
    @NotNull
    @JsonProperty
    public LdapAuthSettings ldap = new LdapAuthSettings();

    /** In ldap mode the directory's URL and base DN are needed; the rest has defaults. */
    @ValidationMethod(message = "needs auth.ldap.url (BERTH_LDAP_URL) and auth.ldap.baseDn (BERTH_LDAP_BASE_DN)"
            + " when auth.mode is ldap")
    @JsonIgnore
    public boolean isLdapComplete() {
        return mode != AuthMode.LDAP || !LdapAuthSettings.isBlank(ldap.url) && !LdapAuthSettings.isBlank(ldap.baseDn);
    }
}
