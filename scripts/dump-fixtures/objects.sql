-- Objects that make mysqldump write DELIMITER blocks, conditional comments
-- and view placeholders around the data. Loaded after the rows; none of them
-- changes a row (the trigger only sets a session variable).

USE nova;
DELIMITER ;;
CREATE TRIGGER fixture_faults_note BEFORE INSERT ON instance_faults FOR EACH ROW
BEGIN
  SET @fixture_note = 'semi;colon, ''quoted'' and "double" -- not a comment';
  SET @fixture_note2 = CONCAT(@fixture_note, ';;');
END;;
DELIMITER ;

USE nova_api;
CREATE VIEW fixture_unmapped AS
  SELECT instance_uuid, project_id FROM instance_mappings WHERE cell_id IS NULL;
DELIMITER ;;
CREATE PROCEDURE fixture_noop()
BEGIN
  SELECT 'a;b' AS x;
  SELECT "c"";d" AS y; -- trailing comment with a quote: it's
END;;
DELIMITER ;
CREATE EVENT fixture_event ON SCHEDULE EVERY 1 DAY STARTS '2030-01-01 00:00:00' DISABLE
  DO DELETE FROM build_requests WHERE created_at < '2000-01-01';
