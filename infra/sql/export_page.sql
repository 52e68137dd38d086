-- NDJSON lines of `codequest events export`, framed inside PostgreSQL (see infra/audit.py).
--
-- The mapper stores `{"timestamp":{"_type_":"datetime_iso","_data_":"<iso>"},<payload fields>,
-- "_meta":{"actor":"<a>","correlation_id":"<c>"}}`. Such a row's line is framed by slicing the
-- stored bytes, with no JSON parsing: the timestamp's string, the payload's fields verbatim,
-- the two metadata strings. Python then unwraps the transcoded values left in the payloads
-- (uuid_hex, datetime_iso, decimal_str) over many lines at once, and renders again the few
-- lines that hold a sealed value or a credential.
--
-- Every other row goes to Python whole: `\x01<position> <id> <version> <hex state> <hex topic>`,
-- the events of personal topics (their fields may be sealed) and any state not laid out as
-- above (another timestamp form; `_meta` not last, or not exactly its two strings).
--
-- The positions `te` (closing quote of the timestamp) and `m` (the `"_meta":{"actor":` key)
-- are 1-based. `rows` is the query of the rows to frame, in global order.
SELECT notification_id,
    CASE WHEN te IS NOT NULL
        AND topic NOT LIKE 'domain.accounts:User.%'
        AND position('"'::bytea IN substr(state, 49, te - 49)) = 0
        AND position('\\'::bytea IN substr(state, 49, te - 49)) = 0
        AND (m = te + 3 OR (m > te + 3 AND get_byte(state, m - 2) = 44))
        -- exactly `"<a>","correlation_id":"<c>"}}` after the key: six quotes, the last `}}`
        -- closing `_meta` and the state (a valid JSON state has no other quote there)
        AND substr(state, m + 17) LIKE '"%","correlation_id":"%"}}'
        AND substr(state, m + 17) NOT LIKE '%"%"%"%"%"%"%"%'
    THEN convert_to(concat('{"position":', notification_id, ',"aggregate_id":"', originator_id,
            '","version":', originator_version, ',"type":', to_json(topic), ',"timestamp":'),
            'UTF8')
        || substr(state, 48, te - 47)
        || ',"payload":{'::bytea
        || substr(state, te + 3, greatest(m - te - 4, 0))
        || '},"actor":'::bytea
        || substr(state, m + 17, length(state) - m - 17)
        || '\x0a'::bytea
    ELSE convert_to(concat(E'\x01', notification_id, ' ', originator_id, ' ', originator_version,
            ' ', encode(state, 'hex'), ' ', encode(convert_to(topic, 'UTF8'), 'hex'), E'\n'),
            'UTF8')
    END AS line
FROM (
    SELECT notification_id, originator_id, originator_version, topic, state,
        CASE WHEN substr(state, 1, 47) = '{"timestamp":{"_type_":"datetime_iso","_data_":'::bytea
            THEN CASE WHEN substr(state, 81, 3) = '"},'::bytea THEN 81
                WHEN substr(state, 74, 3) = '"},'::bytea THEN 74 END
        END AS te,
        position('"_meta":{"actor":'::bytea IN state) AS m
    FROM (/* rows */) AS rows
    OFFSET 0
) AS framed
