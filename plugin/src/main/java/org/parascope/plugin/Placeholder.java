package org.parascope.plugin; final class Placeholder {}
