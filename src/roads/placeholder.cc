// Replaced when the roads module lands.
