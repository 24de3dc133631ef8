package io.github.camelbundle.model;

/** Sales region, as fixed by the contract. */
public enum Region { NA, EU, APAC, LATAM }
