package io.berth.gateway.auth.users;

import org.jdbi.v3.sqlobject.config.RegisterConstructorMapper;
import org.jdbi.v3.sqlobject.customizer.Bind;
import org.jdbi.v3.sqlobject.statement.GetGeneratedKeys;
import org.jdbi.v3.sqlobject.statement.SqlQuery;
import org.jdbi.v3.sqlobject.statement.SqlUpdate;

import java.time.Instant;
import java.util.List;
import java.util.Optional;

/** The account table. */
@RegisterConstructorMapper(User.class)
interface UserDao {
    String COLUMNS = "id, username, email, sysadmin, source, created_at, updated_at";

    @SqlUpdate("INSERT INTO account (username, email, password_hash, source, sysadmin, created_at, updated_at)"
            + " VALUES (:username, :email, :hash, :source, :sysadmin, :now, :now)")
    @GetGeneratedKeys("id")
    long insert(@Bind("username") String username, @Bind("email") String email, @Bind("hash") String hash,
                @Bind("source") String source, @Bind("sysadmin") boolean sysadmin, @Bind("now") Instant now);

    @SqlQuery("SELECT " + COLUMNS + " FROM account WHERE username = :username")
    Optional<User> find(@Bind("username") String username);

    /** The hash a database sign-in compares with; none for a directory user, whatever the column holds. */
    @SqlQuery("SELECT password_hash FROM account WHERE username = :username AND source = 'database'")
    Optional<String> passwordHash(@Bind("username") String username);

    @SqlQuery("SELECT " + COLUMNS + " FROM account ORDER BY username LIMIT :limit OFFSET :offset")
    List<User> list(@Bind("limit") int limit, @Bind("offset") long offset);

    @SqlQuery("SELECT COUNT(*) FROM account")
    long count();

    @SqlUpdate("UPDATE account SET password_hash = :hash, updated_at = :now WHERE username = :username")
    int setPasswordHash(@Bind("username") String username, @Bind("hash") String hash, @Bind("now") Instant now);

    @SqlUpdate("UPDATE account SET sysadmin = :sysadmin, updated_at = :now WHERE username = :username")
    int setSysadmin(@Bind("username") String username, @Bind("sysadmin") boolean sysadmin, @Bind("now") Instant now);

    /** Makes an account sign in with the directory: it keeps no password here. */
    @SqlUpdate("UPDATE account SET source = 'ldap', password_hash = NULL, updated_at = :now WHERE username = :username")
    int toDirectory(@Bind("username") String username, @Bind("now") Instant now);

    @SqlUpdate("UPDATE account SET email = :email, updated_at = :now WHERE username = :username")
    int setEmail(@Bind("username") String username, @Bind("email") String email, @Bind("now") Instant now);

    @SqlUpdate("DELETE FROM account WHERE username = :username")
    int delete(@Bind("username") String username);
}
