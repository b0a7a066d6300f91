// The SQLite implementation of store::SubscriptionStore, one file
// (<data-dir>/subscriptions.db) for all tenants. See
// store/subscription_store.h for the contract.
#pragma once

#include "store/subscription_store.h"
