// Replaced when the vrp module lands.
