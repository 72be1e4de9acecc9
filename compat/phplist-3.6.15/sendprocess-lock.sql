-- PHPList 3.6.15's page lock (admin/lib.php getPageLock/keepLock/checkLock/releaseLock), as the
-- queries it runs, with `phplist_` for the table prefix and :page for 'processqueue' or
-- 'processbounces'. Facteur's tests replay these to prove PHPList sees Facteur's row as a live lock.

-- 1. Is the page busy? PHPList counts the rows this returns; with MAX_SENDPROCESSES=1 (no memcached),
--    any row means busy. A first row whose age is over 600 (seconds, as NOW() - modified on DATETIME/
--    TIMESTAMP values) is set alive = 0 and the query is run again; otherwise the CLI prints
--    "A process for this page is already running and it was still alive N seconds ago" and exits.
select now() - modified as age, id from phplist_sendprocess where page = :page and alive order by started desc;

-- 2. Stale lock: the process has been silent for more than 600 s.
update phplist_sendprocess set alive = 0 where id = :id;

-- 3. Take the lock (ipaddress = SENDPROCESS_SERVERNAME:pid on the command line, REMOTE_ADDR on the web).
insert into phplist_sendprocess (started, page, alive, ipaddress) values (now(), :page, 1, :ipaddress);

-- 4. Keep it (per campaign and per batch); `modified` is ON UPDATE CURRENT_TIMESTAMP, which is what age reads.
update phplist_sendprocess set alive = alive + 1 where id = :id;

-- 5. Still ours? (0 means another process forced it away with -f.)
select alive from phplist_sendprocess where id = :id;

-- 6. Release.
delete from phplist_sendprocess where id = :id;
