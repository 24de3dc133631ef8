package io.github.camelbundle.model;

/** Customer loyalty tier, as fixed by the contract. */
public enum Tier { BRONZE, SILVER, GOLD, PLATINUM }
