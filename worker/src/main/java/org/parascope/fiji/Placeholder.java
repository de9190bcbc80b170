package org.parascope.fiji; final class Placeholder {}
