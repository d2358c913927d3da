package io.berth.gateway.auth.users;

import io.berth.gateway.auth.ChangeTrail;
import io.berth.store.Caller;
import io.berth.store.error.ErrorCode;
import io.berth.store.error.RegistryException;
import io.berth.store.meta.Transactions;

import java.time.Clock;
import java.util.List;
import java.util.Optional;
import java.util.function.ToIntFunction;
import java.util.regex.Pattern;

/**
 * User accounts kept in the database: creation under the password policy, sign-in, password and
 * admin changes. Methods block (database, bcrypt): call them off the event loop. Hashing runs
 * outside any transaction, so a slow hash never holds a database connection.
 */
public final class Users {
    /** The user every installation starts with; it cannot be deleted or lose its admin rights. */
    public static final String ADMIN = "admin";
    /** The source of an account that signs in with a password kept here. */
    public static final String DATABASE = "database";
    /** The source of an account that signs in with the directory's password, and keeps none here. */
    public static final String LDAP = "ldap";
    /**
     * Names that docker login, a token's {@code sub} and Basic credentials carry unchanged: no
     * colon (Basic's separator), no {@code $} (robots' prefix), no spaces.
     */
    private static final Pattern USERNAME = Pattern.compile("[A-Za-z0-9][A-Za-z0-9._@-]{0,254}");
    private static final Pattern EMAIL = Pattern.compile("[^@\\s]{1,64}@[^@\\s]{1,190}");

    private final Transactions tx;
    private final Passwords passwords;
    private final Clock clock;
    private final ChangeTrail trail;

    /** Changes are audited as Berth's own until {@link #as} names who makes them. */
    public Users(Transactions tx, Passwords passwords, Clock clock) {
        this(tx, passwords, clock, ChangeTrail.system(clock));
    }

    private Users(Transactions tx, Passwords passwords, Clock clock, ChangeTrail trail) {
        this.tx = tx;
        this.passwords = passwords;
        this.clock = clock;
        this.trail = trail;
    }

    /** These users, with the changes made through them audited as {@code actor}'s. */
    public Users as(Caller actor) {
        return new Users(tx, passwords, clock, trail.by(actor));
    }

    /** Creates a user who signs in with a password here; refuses a taken name or a weak password. */
    public User create(String username, String password, String email, boolean sysadmin) {
        checkUsername(username);
        PasswordPolicy.check(password);
        checkEmail(email);
        String hash = passwords.hash(password);
        return tx.inTransaction(h -> {
            UserDao users = h.attach(UserDao.class);
            if (users.find(username).isPresent()) {
                throw new RegistryException(ErrorCode.CONFLICT, "a user named '" + username + "' exists already");
            }
            users.insert(username, email, hash, DATABASE, sysadmin, clock.instant());
            trail.record(h, "create", "user", username, null, sysadmin ? "system admin" : null);
            return users.find(username).orElseThrow();
        });
    }

    /**
     * The user whose password this is; empty for a wrong password or an unknown name (which take as
     * long), and always for a directory user, who has no password here.
     */
    public Optional<User> authenticate(String username, String password) {
        Optional<String> hash = tx.withHandle(h -> h.attach(UserDao.class).passwordHash(username));
        if (!passwords.matches(password, hash.orElse(null))) {
            return Optional.empty();
        }
        return tx.withHandle(h -> h.attach(UserDao.class).find(username));
    }

    /**
     * The local account of a user the directory has just signed in: created on their first sign-in
     * (source {@code ldap}, with no password here, so that no database sign-in can reach it), or
     * taken over from a database account of that name (its password dropped; its memberships and
     * admin rights kept, since in directory mode the directory says who a name is). The e-mail
     * address is the directory's when it has a valid one. Writes only what changed; 401 for a
     * directory name that cannot be a user name here.
     */
    public User signedInFromDirectory(String username, String email) {
        if (username == null || !USERNAME.matcher(username).matches() || ADMIN.equalsIgnoreCase(username)) {
            throw new RegistryException(ErrorCode.UNAUTHORIZED, "the directory account '" + username + "' cannot"
                    + " sign in here: Berth user names are 1 to 255 letters, digits, '.', '_', '@' or '-', and '"
                    + ADMIN + "' is the local admin's");
        }
        String mail = email != null && EMAIL.matcher(email).matches() ? email : null;
        Optional<User> known = find(username);
        if (known.isPresent() && known.get().source().equals(LDAP)
                && (mail == null || mail.equals(known.get().email()))) {
            return known.get();
        }
        return tx.inTransaction(h -> { // a concurrent first sign-in's insert makes this run again, and update
            UserDao users = h.attach(UserDao.class);
            Optional<User> now = users.find(username);
            if (now.isEmpty()) {
                users.insert(username, mail, null, LDAP, false, clock.instant());
                trail.record(h, "create", "user", username, null, "at the first directory sign-in");
            } else {
                if (!now.get().source().equals(LDAP)) {
                    users.toDirectory(username, clock.instant());
                }
                if (mail != null && !mail.equals(now.get().email())) {
                    users.setEmail(username, mail, clock.instant());
                }
            }
            return users.find(username).orElseThrow();
        });
    }

    public Optional<User> find(String username) {
        return tx.withHandle(h -> h.attach(UserDao.class).find(username));
    }

    public User get(String username) {
        return find(username).orElseThrow(() -> unknown(username));
    }

    /** A page of users by name, and how many there are in all. */
    public Listing list(int page, int pageSize) {
        return tx.withHandle(h -> {
            UserDao users = h.attach(UserDao.class);
            return new Listing(users.list(pageSize, (long) (page - 1) * pageSize), users.count());
        });
    }

    /**
     * Sets a new password. A user changing their own must give the old one; a system admin
     * changing someone's need not ({@code oldPassword} null).
     */
    public void changePassword(String username, String oldPassword, String newPassword, boolean byAdmin) {
        if (get(username).source().equals(LDAP)) {
            throw new RegistryException(ErrorCode.INVALID_INPUT, "'" + username + "' signs in with the directory's"
                    + " password, which Berth does not keep: change it in the directory");
        }
        if (!byAdmin && authenticate(username, oldPassword).isEmpty()) {
            throw new RegistryException(ErrorCode.INVALID_INPUT, "the old password is not right: give the current"
                    + " password to change it");
        }
        PasswordPolicy.check(newPassword);
        String hash = passwords.hash(newPassword);
        change(username, "update", "password", users -> users.setPasswordHash(username, hash, clock.instant()));
    }

    /** Makes a user a system admin, or no longer one (never the built-in admin). */
    public void setSysadmin(String username, boolean sysadmin) {
        if (ADMIN.equals(username) && !sysadmin) {
            throw new RegistryException(ErrorCode.INVALID_INPUT, "the built-in admin stays a system admin");
        }
        change(username, "update", sysadmin ? "made a system admin" : "no longer a system admin",
                users -> users.setSysadmin(username, sysadmin, clock.instant()));
    }

    public void setEmail(String username, String email) {
        checkEmail(email);
        change(username, "update", "e-mail", users -> users.setEmail(username, email, clock.instant()));
    }

    /** Deletes a user and their memberships (never the built-in admin). */
    public void delete(String username) {
        if (ADMIN.equals(username)) {
            throw new RegistryException(ErrorCode.INVALID_INPUT, "the built-in admin cannot be deleted");
        }
        change(username, "delete", null, users -> users.delete(username));
    }

    /** Changes one user in a transaction with its audit line; NO_SUCH_RESOURCE when there is no such user. */
    private void change(String username, String action, String detail, ToIntFunction<UserDao> update) {
        boolean changed = tx.inTransaction(h -> {
            if (update.applyAsInt(h.attach(UserDao.class)) == 0) {
                return false;
            }
            trail.record(h, action, "user", username, null, detail);
            return true;
        });
        if (!changed) {
            throw unknown(username);
        }
    }

    private static void checkUsername(String username) {
        if (username == null || !USERNAME.matcher(username).matches()) {
            throw new RegistryException(ErrorCode.INVALID_INPUT, "'" + username + "' is not a valid user name: use 1"
                    + " to 255 letters, digits, '.', '_', '@' or '-', starting with a letter or digit");
        }
    }

    private static void checkEmail(String email) {
        if (email != null && !EMAIL.matcher(email).matches()) {
            throw new RegistryException(ErrorCode.INVALID_INPUT, "'" + email + "' is not an e-mail address");
        }
    }

    private static RegistryException unknown(String username) {
        return new RegistryException(ErrorCode.NO_SUCH_RESOURCE, "there is no user named '" + username + "'");
    }

    /** One page of users and the total. */
    public record Listing(List<User> users, long total) {
    }
}
