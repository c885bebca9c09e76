#!/usr/bin/perl
# SPDX-License-Identifier: GPL-2.0
#
# hwdoc-cites.pl SRCROOT: check that the comments of the kernel sources
# (SRCROOT/src-kernel, *.c and *.h) cite the hardware reference that is in
# the repository, and only sections it has:
#
#   - no comment cites "fact sheet" (the notes outside the repository);
#   - every mention of the reference is spelled doc/x100-hardware.md;
#   - every section id (B.4, C.10), letter right after the file name
#     (doc/x100-hardware.md D), erratum (C.8 #6) and step (C.4 step 7)
#     exists in SRCROOT/doc/x100-hardware.md.
#
# Ids are read from the document: "## X." headings give letters,
# "### X.n" headings give sections, numbered table rows ("| 6 |") of a
# section give its "#n" items and numbered list items ("7. ") its steps.
# Prints one line per offence and exits 1, or a summary and exits 0.
use strict;
use warnings;
use File::Find;

my $src = shift or die "usage: $0 SRCROOT\n";
my $doc = "$src/doc/x100-hardware.md";

my (%letter, %section, %item, %step);
open(my $dh, '<', $doc) or die "$doc: $!\n";
my $cur;
while (my $l = <$dh>) {
	if ($l =~ /^## ([A-Z])\. /) {
		$letter{$1} = 1;
		$cur = undef;
	} elsif ($l =~ /^### ([A-Z]\.\d+) /) {
		$section{$1} = 1;
		$cur = $1;
	} elsif ($l =~ /^## /) {
		$cur = undef;
	} elsif (defined $cur && $l =~ /^\| (\d+) \|/) {
		$item{"$cur #$1"} = 1;
	} elsif (defined $cur && $l =~ /^(\d+)\. /) {
		$step{"$cur step $1"} = 1;
	}
}
close($dh);
die "$doc: no section ids found\n" unless %section;

my @files;
find({ no_chdir => 1, wanted => sub {
	push @files, $File::Find::name
		if -f $_ && /\.[ch]$/ && !/\.mod\.c$/;
} }, "$src/src-kernel");
@files = sort @files;

my ($bad, $ids) = (0, 0);

sub offence {
	my ($file, $line, $msg) = @_;
	(my $rel = $file) =~ s{^\Q$src\E/}{};
	print "$rel:$line: $msg\n";
	$bad++;
}

# One comment's text, starting on line $first of $file.
sub check_comment {
	my ($file, $first, $text) = @_;
	my $n = $first;

	for my $l (split /\n/, $text, -1) {
		offence($file, $n, "cites the fact sheet; cite doc/x100-hardware.md")
			if $l =~ /fact[ -]sheet/i;
		offence($file, $n, "names the hardware reference other than doc/x100-hardware.md")
			if $l =~ /x100-hardware(?!\.md)/;
		while ($l =~ /\b([A-Z]\.\d+)\b(?:,? (#\d+)| step (\d+))?/g) {
			my ($id, $hash, $stp) = ($1, $2, $3);

			$ids++;
			if (!$section{$id}) {
				offence($file, $n, "doc/x100-hardware.md has no section $id");
			} elsif (defined $hash && !$item{"$id $hash"}) {
				offence($file, $n, "doc/x100-hardware.md $id has no item $hash");
			} elsif (defined $stp && !$step{"$id step $stp"}) {
				offence($file, $n, "doc/x100-hardware.md $id has no step $stp");
			}
		}
		while ($l =~ /x100-hardware\.md\s+\(?([A-Z])\b(?!\.\d)/g) {
			$ids++;
			offence($file, $n, "doc/x100-hardware.md has no part $1")
				unless $letter{$1};
		}
		$n++;
	}
}

for my $file (@files) {
	open(my $fh, '<', $file) or die "$file: $!\n";
	my $c = do { local $/; <$fh> };
	close($fh);

	# Strings and character constants are skipped, comments checked.
	while ($c =~ m{("(?:\\.|[^"\\\n])*"|'(?:\\.|[^'\\\n])*'|/\*.*?\*/|//[^\n]*)}gs) {
		my $tok = $1;
		next if $tok =~ /^["']/;
		my $line = 1 + (substr($c, 0, $-[1]) =~ tr/\n//);
		check_comment($file, $line, $tok);
	}
}

if ($bad) {
	print "FAIL: $bad bad citation(s) of the hardware reference\n";
	exit 1;
}
printf "hwdoc citations: %d ids in %d files, all in doc/x100-hardware.md\n",
	$ids, scalar @files;
exit 0;
