-- db-scheduler's table (its postgresql_tables.sql): cluster-safe recurring tasks such as the monthly
-- billing run.
CREATE TABLE scheduled_tasks (
    task_name            text                     NOT NULL,
    task_instance        text                     NOT NULL,
    task_data            bytea,
    execution_time       timestamp with time zone NOT NULL,
    picked               boolean                  NOT NULL,
    picked_by            text,
    last_success         timestamp with time zone,
    last_failure         timestamp with time zone,
    consecutive_failures integer,
    last_heartbeat       timestamp with time zone,
    version              bigint                   NOT NULL,
    priority             smallint,
    PRIMARY KEY (task_name, task_instance)
);
CREATE INDEX execution_time_idx ON scheduled_tasks (execution_time);
CREATE INDEX last_heartbeat_idx ON scheduled_tasks (last_heartbeat);
CREATE INDEX priority_execution_time_idx ON scheduled_tasks (priority DESC, execution_time ASC);

-- Spring Modulith's event publication registry (spring-modulith-events-jdbc, schema v2): events for
-- listeners that run after commit (CreditLow, CreditUsedUp) are kept until they completed.
CREATE TABLE event_publication (
    id                     uuid                     NOT NULL,
    listener_id            text                     NOT NULL,
    event_type             text                     NOT NULL,
    serialized_event       text                     NOT NULL,
    publication_date       timestamp with time zone NOT NULL,
    completion_date        timestamp with time zone,
    status                 text,
    completion_attempts    integer,
    last_resubmission_date timestamp with time zone,
    PRIMARY KEY (id)
);
CREATE INDEX event_publication_serialized_event_hash_idx ON event_publication USING hash (serialized_event);
CREATE INDEX event_publication_by_completion_date_idx ON event_publication (completion_date);

-- notification: each credit alert e-mailed once, whatever the registry redelivers.
CREATE TABLE credit_alert_sent (
    tenant_id uuid        NOT NULL REFERENCES company (id),
    alert_id  uuid        NOT NULL,
    kind      text        NOT NULL CHECK (kind IN ('low', 'used_up')),
    sent_at   timestamptz NOT NULL,
    PRIMARY KEY (tenant_id, alert_id)
);
