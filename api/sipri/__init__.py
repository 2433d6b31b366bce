"""The SIPRI Arms Transfers Database: read its trade-register exports and import them."""
