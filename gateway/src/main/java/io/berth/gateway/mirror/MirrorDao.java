package io.berth.gateway.mirror;

import org.jdbi.v3.sqlobject.config.RegisterConstructorMapper;
import org.jdbi.v3.sqlobject.customizer.Bind;
import org.jdbi.v3.sqlobject.customizer.BindList;
import org.jdbi.v3.sqlobject.statement.SqlQuery;

import java.util.Collection;
import java.util.List;

/** What mirror routing reads: whether projects exist, and the proxy projects' upstreams. */
@RegisterConstructorMapper(ProxyUpstream.class)
interface MirrorDao {
    @SqlQuery("SELECT COUNT(*) FROM project WHERE name = :name")
    int count(@Bind("name") String project);

    @SqlQuery("SELECT name FROM project WHERE name IN (<names>)")
    List<String> existing(@BindList(value = "names", onEmpty = BindList.EmptyHandling.NULL_STRING)
                          Collection<String> names);

    @SqlQuery("SELECT p.name AS project, e.type, e.urls FROM proxy_project x JOIN project p ON p.id = x.project_id"
            + " JOIN registry_endpoint e ON e.id = x.registry_id ORDER BY p.name")
    List<ProxyUpstream> proxies();
}
