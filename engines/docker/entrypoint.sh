#!/bin/sh
# Starts parascope in a worker container. With DOWNLOAD_FILES off, tasks read their images from
# SOURCE_BUCKET mounted at /home/ubuntu/bucket (the path Distributed-CellProfiler's LoadData CSVs
# use), mounted read-only with Mountpoint for Amazon S3; credentials come from the task role.
set -eu
case "${DOWNLOAD_FILES:-False}" in
	True|true|TRUE) ;;
	*)
		bucket="${SOURCE_BUCKET:-${AWS_BUCKET:-}}"
		if [ -z "$bucket" ] || [ "$bucket" = "False" ]; then bucket="${AWS_BUCKET:?SOURCE_BUCKET or AWS_BUCKET must be set}"; fi
		mkdir -p /home/ubuntu/bucket
		# --allow-other: the mount is made as this user but read by the engines' processes too.
		mount-s3 --read-only --allow-other --region "${AWS_REGION:-us-east-1}" "$bucket" /home/ubuntu/bucket
		;;
esac
# "$@" is the image's CMD ("worker"), or the command ECS gives (the detached monitor's "monitor ...").
exec "${PARASCOPE_JAVA:-java}" $JAVA_HEAP -jar /opt/parascope/parascope.jar "$@"
