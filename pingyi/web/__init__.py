"""The browser front end served on the meeting LAN."""
