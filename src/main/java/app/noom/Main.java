package app.noom; public class Main { public static void main(String[] a){} }
