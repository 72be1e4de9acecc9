#!/usr/bin/env bash
# Extracts what the Compose golden tests need from PHPList's own sample database (sample-sent.sql.gz)
# into Tests/ComposeTests/Fixtures/sample-campaign-2.json: campaign 2's content, the config values that
# shape a message (website, domain, xormask, URLs, TLDs), the subscribers of sent-sample-1/-2.eml with
# their attributes and lists, the four refused test.example subscribers, the linktrack_forward uuids and
# the "powered by" image. Interim: the lead will switch the golden tests to read the database directly.
#
#   scripts/extract-compose-fixture.sh            (uses FACTEUR_TEST_MYSQL_URL's server, root, no password)
set -euo pipefail
here=$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)
host=${MYSQL_HOST:-127.0.0.1}; port=${MYSQL_PORT:-13306}; db=${FIXTURE_DB:-compose_fixture_extract}
mysql=(mariadb --protocol=tcp -h"$host" -P"$port" -uroot)
"${mysql[@]}" -e "drop database if exists $db; create database $db character set utf8mb4"
zcat "$here/compat/phplist-3.6.15/sample-sent.sql.gz" | "${mysql[@]}" "$db"
cfg() { echo "'$1', (select value from phplist_config where item = '$1')"; }
"${mysql[@]}" -N -B --raw "$db" > "$here/Tests/ComposeTests/Fixtures/sample-campaign-2.json" <<SQL
select json_detailed(json_object(
  'campaign', (select json_object('id', m.id, 'uuid', m.uuid, 'subject', m.subject, 'fromfield', m.fromfield,
        'replyto', m.replyto, 'message', m.message, 'textmessage', m.textmessage, 'footer', m.footer,
        'sendformat', m.sendformat, 'template', m.template, 'htmlformatted', m.htmlformatted)
      from phplist_message m where m.id = 2),
  'attachments', (select json_arrayagg(json_object('remotefile', a.remotefile, 'filename', a.filename,
        'mimetype', a.mimetype, 'description', a.description, 'size', a.size))
      from phplist_attachment a join phplist_message_attachment ma on ma.attachmentid = a.id where ma.messageid = 2),
  'config', json_object($(cfg website), $(cfg domain), $(cfg xormask), $(cfg hmackey), $(cfg unsubscribeurl),
        $(cfg preferencesurl), $(cfg subscribeurl), $(cfg forwardurl), $(cfg blacklisturl), $(cfg confirmationurl),
        $(cfg vcardurl), $(cfg admin_address), $(cfg organisation_name), $(cfg wordwrap), $(cfg internet_tlds),
        $(cfg message_from_address), $(cfg version)),
  'poweredImage', (select json_object('filename', filename, 'mimetype', mimetype, 'base64', data)
      from phplist_templateimage where template = 0 and filename = 'powerphplist.png'),
  'linktrackForward', (select json_arrayagg(json_object('id', id, 'url', url, 'uuid', uuid, 'personalise', personalise))
      from phplist_linktrack_forward),
  'subscribers', (select json_arrayagg(json_object('id', u.id, 'email', u.email, 'uniqid', u.uniqid, 'uuid', u.uuid,
        'htmlemail', u.htmlemail,
        'attributes', (select json_objectagg(a.name, case when a.type in ('select','radio')
              then (select name from phplist_listattr_country c where c.id = ua.value) else ua.value end)
            from phplist_user_user_attribute ua join phplist_user_attribute a on a.id = ua.attributeid where ua.userid = u.id),
        'lists', (select json_arrayagg(l.name) from phplist_listuser lu join phplist_list l on l.id = lu.listid where lu.userid = u.id)))
      from phplist_user_user u where u.id in (2, 1202)),
  'refused', (select json_arrayagg(u.email) from phplist_usermessage um join phplist_user_user u on u.id = um.userid
      where um.messageid = 2 and um.status = 'invalid email address'),
  'sentSample', json_array(
      json_object('file', 'sent-sample-1.eml', 'subscriberId', 2),
      json_object('file', 'sent-sample-2.eml', 'subscriberId', 1202))
))
SQL
"${mysql[@]}" -e "drop database $db"
echo "wrote Tests/ComposeTests/Fixtures/sample-campaign-2.json" >&2
